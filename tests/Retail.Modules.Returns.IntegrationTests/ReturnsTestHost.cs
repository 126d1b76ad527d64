using Mediator;
using Retail.Modules.FlashSales.Application;
using Retail.Modules.FlashSales.Infrastructure;
using Retail.Modules.FlashSales.IntegrationEvents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.BuildingBlocks.Infrastructure.Redis;
using Retail.Modules.Catalog.Application;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.Infrastructure;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Ordering.Application;
using Retail.Modules.Ordering.Application.Orders.MarkShipped;
using Retail.Modules.Ordering.Application.Orders.PlaceOrder;
using Retail.Modules.Ordering.Infrastructure;
using Retail.Modules.Payments.Application;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Application.Refunds.SweepPendingRefunds;
using Retail.Modules.Payments.Infrastructure;
using Retail.Modules.Payments.IntegrationEvents;
using Retail.Modules.Returns.Application;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Application.Outcomes;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Application.Returns.Submit;
using Retail.Modules.Returns.Application.Returns.Transition;
using Retail.Modules.Returns.Infrastructure;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Returns.IntegrationTests;

/// <summary>
/// Catalog, Payments, Ordering and Returns as the Host wires them, on one real SQLite file migrated with the real
/// migrations, behind a generated mediator with the real behaviors. Time is a FakeTimeProvider. The signed-in user is per
/// async flow; a user id starting with <c>support-</c>, <c>warehouse-</c> or <c>finance-</c> has that staff role, every
/// other id is a customer. Outbox rows are delivered by the real relay when a test asks.
/// </summary>
public sealed class ReturnsTestHost : IAsyncDisposable
{
    public const string ValidCard = "4242424242424242";

    private static readonly AsyncLocal<string?> CurrentUserId = new();
    private readonly string _folder;

    private ReturnsTestHost(ServiceProvider services, FakeTimeProvider time, string folder)
    {
        Services = services;
        Time = time;
        _folder = folder;
    }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public string Folder => _folder;

    public static async Task<ReturnsTestHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "retail-returns-it-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Retail"] = $"Data Source={Path.Combine(folder, "retail.db")}",
            ["Payments:Resilience:RetryBaseDelay"] = "00:00:00",
            ["Payments:Simulator:Latency"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<ICurrentUser, TestUser>();
        services.AddSingleton<IOutboxNudge, IgnoreNudges>();
        services.AddSingleton<RecordingEmailSender>();
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<RecordingEmailSender>());
        services.AddSingleton<IntegrationEventSubscriptions>();
        services.AddSingleton<OutboxRelay>();
        services.AddSingleton<ISlidingWindowRateLimiter>(new InProcessSlidingWindowRateLimiter(time));
        services.AddHybridCache();
        services.AddRetailApplication();
        services.AddCatalogModule(configuration);
        services.AddPaymentsModule(configuration);
        services.AddOrderingModule(configuration);
        services.AddFlashSalesModule(configuration);
        services.AddReturnsModule(configuration);
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(CatalogModule), typeof(ReserveStock), typeof(PaymentsModule), typeof(ChargePayment), typeof(OrderingModule), typeof(FlashSalesModule), typeof(ClaimFlashAllocation), typeof(ReturnsModule), typeof(GetReturnsOverview)];
            options.PipelineBehaviors =
            [
                typeof(Retail.BuildingBlocks.Application.Behaviors.AuthorizationBehavior<,>),
                typeof(Retail.BuildingBlocks.Application.Behaviors.ValidationBehavior<,>),
                typeof(Retail.BuildingBlocks.Application.Behaviors.UnitOfWorkBehavior<,>),
            ];
        });
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await provider.MigrateModuleDatabasesAsync();
        return new ReturnsTestHost(provider, time, folder);
    }

    public RecordingEmailSender Emails => Services.GetRequiredService<RecordingEmailSender>();

    public static string EmailOf(string userId) => userId + "@example.test";

    public static string NewCustomer() => "user-" + Guid.NewGuid().ToString("N")[..12];

    public const string Support = "support-1";
    public const string Warehouse = "warehouse-1";
    public const string Finance = "finance-1";

    public IPaymentGatewaySimulatorControl Gateway => Services.GetRequiredService<IPaymentGatewaySimulatorControl>();

    public void SetOutage(bool outage) => Gateway.Apply(Gateway.Current with { Outage = outage });

    /// <summary>Delivers every module's outbox until nothing is left (events cause events: replacement → order → answer).</summary>
    public async Task DeliverAllAsync()
    {
        var relay = Services.GetRequiredService<OutboxRelay>();
        for (var round = 0; round < 5; round++)
        {
            var delivered = 0;
            foreach (var module in new[] { OrderingModule.Name, ReturnsModule.Name, CatalogModule.Name, PaymentsModule.Name })
            {
                delivered += await relay.RunAsync(module);
            }

            if (delivered == 0)
            {
                return;
            }
        }
    }

    /// <summary>As if a relay crashed after delivering but before marking: every row of the module goes out again.</summary>
    public async Task RedeliverAsync(string module)
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(module);
            await db.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(m => m.ProcessedAt, (DateTimeOffset?)null));
        }

        await Services.GetRequiredService<OutboxRelay>().RunAsync(module);
    }

    public async Task<string> CreateProductAsync(int stock, decimal price = 10m, string? sku = null)
    {
        sku ??= "RT-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await using var scope = Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<ICatalogDbContext>();
        catalog.Products.Add(Product.Create(new ProductDetails("Test " + sku, "", Guid.NewGuid(), price, [], true), sku, stock, Time.GetUtcNow()));
        await scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(CatalogModule.Name).SaveChangesAsync();
        return sku;
    }

    public Task<int> StockOfAsync(string sku) =>
        QueryAsync(sp => sp.GetRequiredService<ICatalogDbContext>().Products.Where(p => p.Sku == sku).Select(p => p.Stock).SingleAsync());

    /// <summary>Buys through the real checkout (card), then the warehouse ships and delivers; Returns hears of it through the outbox.</summary>
    public async Task<Guid> DeliveredOrderAsync(string customer, string sku, int quantity, decimal storeCredit = 0m)
    {
        var command = new PlaceOrderCommand(
            [new OrderItemInput(sku, quantity)],
            new ShippingAddressInput("Ann Buyer", "1 Main St", null, "Springfield", "12345", "US"),
            "card",
            new Dictionary<string, string> { ["cardNumber"] = ValidCard, ["expiry"] = "12/30" },
            storeCredit,
            Guid.NewGuid().ToString("N"));
        var placed = await SendAsAsync<Result<Ordering.Application.Orders.PlaceOrderResult>>(customer, command);
        placed.IsSuccess.ShouldBeTrue(placed.IsSuccess ? "" : placed.Error.Message);
        var orderId = placed.Value.Order.Id;
        (await SendAsAsync<Result>(Warehouse, new MarkShippedCommand(orderId))).IsSuccess.ShouldBeTrue();
        (await SendAsAsync<Result>(Warehouse, new MarkDeliveredCommand(orderId))).IsSuccess.ShouldBeTrue();
        await DeliverAllAsync();
        return orderId;
    }

    public Task<Result<SubmittedReturnDto>> SubmitAsync(string customer, Guid orderId, string sku, int quantity, string preferred = "REFUND", string reason = "DEFECTIVE") =>
        SendAsAsync<Result<SubmittedReturnDto>>(customer, new SubmitReturnCommand(orderId, [new ReturnItemInput(sku, quantity)], reason, null, preferred));

    public Task<Result<TransitionResultDto>> MoveAsync(string user, string code, string action, TransitionInputDto? input = null, int? version = null) =>
        SendAsAsync<Result<TransitionResultDto>>(user, new TransitionReturnCommand(code, action, input, version));

    /// <summary>Walks an approved return through shipping, receipt and inspection to INSPECTED.</summary>
    public async Task ToInspectedAsync(string customer, string code, string grade = "NEW")
    {
        (await MoveAsync(Support, code, "approve")).IsSuccess.ShouldBeTrue();
        (await MoveAsync(customer, code, "ship", new TransitionInputDto(TrackingNumber: "1Z999AA10123456784"))).IsSuccess.ShouldBeTrue();
        (await MoveAsync(Warehouse, code, "receive")).IsSuccess.ShouldBeTrue();
        (await MoveAsync(Warehouse, code, "start-inspection")).IsSuccess.ShouldBeTrue();
        var inspected = await MoveAsync(Warehouse, code, "inspect", new TransitionInputDto(Grade: grade, Mismatch: "NONE", Notes: "ok"));
        inspected.IsSuccess.ShouldBeTrue(inspected.IsSuccess ? "" : inspected.Error.Message);
    }

    /// <summary>Decides every line as <paramref name="disposition"/> (with an override reason) and starts PROCESSING, running the outcomes once.</summary>
    public async Task<OutcomeRunReport> DecideAndProcessAsync(string code, string disposition)
    {
        var detail = await QueryAsync(sp => sp.GetRequiredService<IReturnsDbContext>().Returns.Include(r => r.Lines).SingleAsync(r => r.Code == code));
        var decided = await MoveAsync(Finance, code, "decide", new TransitionInputDto(Dispositions:
            [.. detail.Lines.Select(l => new LineDispositionInput(l.Id, disposition, "chosen by test"))]));
        decided.IsSuccess.ShouldBeTrue(decided.IsSuccess ? "" : decided.Error.Message);
        (await MoveAsync(Finance, code, "process")).IsSuccess.ShouldBeTrue();
        return (await SendAsAsync<Result<OutcomeRunReport>>(Finance, new ExecuteReturnOutcomesCommand(code))).Value;
    }

    public async Task<OutcomeRunReport> RunOutcomeJobAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReturnOutcomeProcessor>().RunAsync();
    }

    public async Task<int> RunRefundSweepAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PendingRefundSweep>().RunAsync();
    }

    public async Task<TResponse> SendAsAsync<TResponse>(string userId, IMessage request)
    {
        CurrentUserId.Value = userId;
        await using var scope = Services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        return (TResponse)(await sender.Send(request))!;
    }

    public async Task<T> QueryAsync<T>(Func<IServiceProvider, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class TestUser : ICurrentUser
    {
        public bool IsAuthenticated => CurrentUserId.Value is not null;

        public string? UserId => CurrentUserId.Value;

        public string? UserName => CurrentUserId.Value is { } id ? EmailOf(id) : null;

        public bool IsInRole(string role)
        {
            var id = CurrentUserId.Value ?? "";
            return role switch
            {
                "support" or "warehouse" or "finance" => id.StartsWith(role + "-", StringComparison.Ordinal),
                "admin" => id.StartsWith("admin-", StringComparison.Ordinal),
                "customer" => id.StartsWith("user-", StringComparison.Ordinal),
                _ => false,
            };
        }
    }

    public sealed class RecordingEmailSender : IEmailSender
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<EmailMessage> _sent = new();

        public IReadOnlyList<EmailMessage> Sent => [.. _sent];

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            _sent.Enqueue(message);
            return Task.CompletedTask;
        }
    }

    private sealed class IgnoreNudges : IOutboxNudge
    {
        public void Nudge(string module)
        {
        }
    }
}
