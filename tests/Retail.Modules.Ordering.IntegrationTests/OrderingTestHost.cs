using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.BuildingBlocks.Infrastructure.Redis;
using Retail.Modules.Catalog.Application;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.Infrastructure;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.FlashSales.Application;
using Retail.Modules.FlashSales.Infrastructure;
using Retail.Modules.FlashSales.IntegrationEvents;
using Retail.Modules.Ordering.Application;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Application.Orders.PlaceOrder;
using Retail.Modules.Ordering.Application.Orders.RetryPendingPayments;
using Retail.Modules.Ordering.Infrastructure;
using Retail.Modules.Payments.Application;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Infrastructure;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Ordering.IntegrationTests;

/// <summary>
/// Catalog, Payments, Ordering and FlashSales as the Host wires them, on one real SQLite file migrated with the real migrations,
/// behind a source-generated mediator with the real behavior chain (authorization, validation, unit of work). Time is a
/// FakeTimeProvider; the rate limiter is the in-process one on that clock; the signed-in user is per async flow.
/// </summary>
public sealed class OrderingTestHost : IAsyncDisposable
{
    public const string ValidCard = "4242424242424242";
    public const string DecliningCard = "4000000000000002";

    private static readonly AsyncLocal<string?> CurrentUserId = new();
    private readonly string _folder;

    private OrderingTestHost(ServiceProvider services, FakeTimeProvider time, string folder)
    {
        Services = services;
        Time = time;
        _folder = folder;
    }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    /// <param name="configure">Extra registrations after the modules' own (e.g. an EF command interceptor).</param>
    public static async Task<OrderingTestHost> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "retail-ordering-it-" + Guid.NewGuid().ToString("N"));
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
        configure?.Invoke(services);
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(CatalogModule), typeof(ReserveStock), typeof(PaymentsModule), typeof(ChargePayment), typeof(OrderingModule), typeof(FlashSalesModule), typeof(ClaimFlashAllocation)];
            options.PipelineBehaviors =
            [
                typeof(Retail.BuildingBlocks.Application.Behaviors.AuthorizationBehavior<,>),
                typeof(Retail.BuildingBlocks.Application.Behaviors.ValidationBehavior<,>),
                typeof(Retail.BuildingBlocks.Application.Behaviors.UnitOfWorkBehavior<,>),
            ];
        });
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await provider.MigrateModuleDatabasesAsync();
        return new OrderingTestHost(provider, time, folder);
    }

    /// <summary>Every email the application sent (the test double at the system's edge).</summary>
    public RecordingEmailSender Emails => Services.GetRequiredService<RecordingEmailSender>();

    /// <summary>The address the signed-in test user has (UserName is the email in this app).</summary>
    public static string EmailOf(string userId) => userId + "@example.test";

    /// <summary>Runs the real outbox relay over Ordering's outbox: its events reach their subscribers with inbox rows.</summary>
    public Task<int> DeliverOutboxAsync() => Services.GetRequiredService<OutboxRelay>().RunAsync(OrderingModule.Name);

    /// <summary>As if the relay had crashed after delivering but before marking the rows processed: deliver them all again.</summary>
    public async Task<int> RedeliverOutboxAsync()
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(OrderingModule.Name);
            await db.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(m => m.ProcessedAt, (DateTimeOffset?)null));
        }

        return await DeliverOutboxAsync();
    }

    public static string NewSku() => "OT-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    public static string NewUser() => "user-" + Guid.NewGuid().ToString("N")[..12];

    public static ShippingAddressInput Address => new("Ann Buyer", "1 Main St", null, "Springfield", "12345", "US");

    public static PlaceOrderCommand Checkout(string sku, int quantity = 1, string card = ValidCard, string? key = null, decimal storeCredit = 0m) =>
        new([new OrderItemInput(sku, quantity)], Address, "card", new Dictionary<string, string> { ["cardNumber"] = card, ["expiry"] = "12/30" }, storeCredit, key ?? Guid.NewGuid().ToString("N"));

    public IPaymentGatewaySimulatorControl Gateway => Services.GetRequiredService<IPaymentGatewaySimulatorControl>();

    public void SetOutage(bool outage) => Gateway.Apply(Gateway.Current with { Outage = outage });

    /// <summary>Creates an active product with the given stock straight in Catalog's tables.</summary>
    public async Task<string> CreateProductAsync(int stock, decimal price = 10m, bool active = true)
    {
        var sku = NewSku();
        await using var scope = Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<ICatalogDbContext>();
        catalog.Products.Add(Product.Create(new ProductDetails("Test " + sku, "", Guid.NewGuid(), price, [], active), sku, stock, Time.GetUtcNow()));
        await scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(CatalogModule.Name).SaveChangesAsync();
        return sku;
    }

    public Task<int> StockOfAsync(string sku) =>
        QueryAsync(sp => sp.GetRequiredService<ICatalogDbContext>().Products.Where(p => p.Sku == sku).Select(p => p.Stock).SingleAsync());

    /// <summary>Sends a request through the mediator as <paramref name="userId"/>, in its own scope.</summary>
    public async Task<TResponse> SendAsAsync<TResponse>(string userId, IMessage request)
    {
        CurrentUserId.Value = userId;
        await using var scope = Services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        return (TResponse)(await sender.Send(request))!;
    }

    public Task<Result<Application.Orders.PlaceOrderResult>> PlaceOrderAsync(string userId, PlaceOrderCommand command) =>
        SendAsAsync<Result<Application.Orders.PlaceOrderResult>>(userId, command);

    /// <summary>
    /// What a checkout had done when its process was killed between reserving its stock and storing its order, step by
    /// step as the handler does them: its attempt recorded with the id of its order, its flash units claimed (when a sale
    /// is live for a line), its stock reserved. Nothing else: no order, no answer.
    /// </summary>
    public async Task DieAfterReservingAsync(string userId, PlaceOrderCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var orderId = Guid.NewGuid();
        await using var scope = Services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<IRequestSender>();
        var begun = await scope.ServiceProvider.GetRequiredService<ICheckoutIdempotency>()
            .BeginAsync(userId, command.IdempotencyKey, PlaceOrderCommandHandler.RequestHash(command), orderId, CancellationToken.None);
        begun.Outcome.ShouldBe(CheckoutIdempotencyOutcome.Started);
        var products = (await sender.Send(new GetProductsForCheckout([.. command.Items.Select(i => i.Sku)]))).Value.ToDictionary(p => p.Sku);
        var claimed = await sender.Send(new ClaimFlashAllocation(orderId, userId, [.. command.Items.Select(i => new FlashClaimLine(i.Sku, i.Quantity, products[i.Sku].Price))]));
        claimed.IsSuccess.ShouldBeTrue();
        var reserved = await sender.Send(new ReserveStock(orderId, [.. command.Items.Select(i => new StockLine(i.Sku, i.Quantity))]));
        reserved.IsSuccess.ShouldBeTrue();
    }

    public async Task<PaymentSweepReport> RunPaymentRetryAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PendingPaymentSweep>().RunAsync();
    }

    public async Task<InterruptedCheckoutReport> RunInterruptedCheckoutRecoveryAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<InterruptedCheckoutRecovery>().RunAsync();
    }

    public async Task<T> QueryAsync<T>(Func<IServiceProvider, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider);
    }

    public Task<int> OrderCountAsync(string userId) =>
        QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.CountAsync(o => o.CustomerId == userId));

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

        public bool IsInRole(string role) =>
            role is "customer"
            || (role is "warehouse" && CurrentUserId.Value?.StartsWith("staff", StringComparison.Ordinal) == true)
            || (role is "catalog-admin" && CurrentUserId.Value?.StartsWith("admin", StringComparison.Ordinal) == true);
    }

    /// <summary>Records instead of sending; thread-safe.</summary>
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
