using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Behaviors;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Application.PaymentMethods.GetPaymentMethods;
using Retail.Modules.Payments.Application.Payments.ChargePayment;
using Retail.Modules.Payments.Application.Refunds.RefundPayment;
using Retail.Modules.Payments.Application.Refunds.SweepPendingRefunds;
using Retail.Modules.Payments.Application.StoreCredit.IssueStoreCredit;
using Retail.Modules.Payments.Infrastructure;
using Retail.Modules.Payments.Infrastructure.Gateway;
using Retail.Modules.Payments.Infrastructure.Persistence;
using Retail.Modules.Payments.Infrastructure.Resilience;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.IntegrationTests;

/// <summary>
/// The Payments module as the Host wires it (AddPaymentsModule), over a real migrated SQLite file, with a
/// FakeTimeProvider driving latency, timeouts and the breaker, and a scripted random source. Requests run the way the
/// mediator's behaviors run them: validators first, then the handler (inside the unit of work unless the request owns
/// its transactions). Retry delays are zero by configuration, so no test waits on time it does not drive itself.
/// </summary>
public sealed class PaymentsTestHost : IAsyncDisposable
{
    public const string ValidCard = "4242424242424242";
    public const string DecliningCard = "4000000000000002";

    private PaymentsTestHost(ServiceProvider services, FakeTimeProvider time)
    {
        Services = services;
        Time = time;
    }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    internal PaymentGatewaySimulator Gateway => Services.GetRequiredService<PaymentGatewaySimulator>();

    internal PaymentCircuitState Circuit => Services.GetRequiredService<PaymentCircuitState>();

    public static async Task<PaymentsTestHost> StartAsync(PaymentsDatabase database, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Retail"] = database.ConnectionString,
                ["Payments:Resilience:RetryBaseDelay"] = "00:00:00",
                ["Payments:Simulator:Latency"] = "00:00:00",
            })
            .Build();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<ICurrentUser>(new TestUser());
        services.AddSingleton<IOutboxNudge, IgnoreNudges>();
        services.AddSingleton<IRandomSource>(new ScriptedRandom());
        services.AddPaymentsModule(configuration);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await provider.MigrateModuleDatabasesAsync();
        return new PaymentsTestHost(provider, time);
    }

    public void SetGateway(Func<SimulatorSettingsDto, SimulatorSettingsDto> change) => Gateway.Apply(change(Gateway.Current));

    public static ChargePayment CardCharge(decimal amount = 25m, string? key = null, string card = ValidCard, Guid? orderId = null) =>
        new(orderId ?? Guid.NewGuid(), "customer-1", amount, "EUR", "card", key ?? NewKey(), new Dictionary<string, string> { ["cardNumber"] = card, ["expiry"] = "12/30" });

    public static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    public Task<Result<PaymentResult>> ChargeAsync(ChargePayment command) =>
        SendAsync(command, ownsTransaction: true, sp => ActivatorUtilities.CreateInstance<ChargePaymentHandler>(sp).Handle(command, default));

    public Task<Result<RefundResult>> RefundAsync(RefundPayment command) =>
        SendAsync(command, ownsTransaction: true, sp => ActivatorUtilities.CreateInstance<RefundPaymentHandler>(sp).Handle(command, default));

    public Task<Result<StoreCreditBalanceDto>> IssueStoreCreditAsync(IssueStoreCredit command) =>
        SendAsync(command, ownsTransaction: false, sp => ActivatorUtilities.CreateInstance<IssueStoreCreditHandler>(sp).Handle(command, default));

    public Task<Result<IReadOnlyList<PaymentMethodDto>>> GetPaymentMethodsAsync() =>
        SendAsync(new GetPaymentMethods(), ownsTransaction: true, sp => ActivatorUtilities.CreateInstance<GetPaymentMethodsHandler>(sp).Handle(new GetPaymentMethods(), default));

    public async Task<int> RunRefundSweepAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PendingRefundSweep>().RunAsync();
    }

    internal async Task<T> QueryAsync<T>(Func<PaymentsDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PaymentsDbContext>());
    }

    /// <summary>Outbox rows of one event type whose payload mentions <paramref name="id"/>.</summary>
    public Task<int> OutboxCountAsync(string eventName, Guid id) =>
        QueryAsync(db => db.OutboxMessages.CountAsync(m => m.Type == eventName && m.Payload.Contains(id.ToString())));

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();

    private async Task<Result<TValue>> SendAsync<TRequest, TValue>(TRequest request, bool ownsTransaction, Func<IServiceProvider, ValueTask<Result<TValue>>> handle)
    {
        await using var scope = Services.CreateAsyncScope();
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in scope.ServiceProvider.GetServices<IValidator<TRequest>>())
        {
            // With the request's services, as ValidationBehavior validates (the method registry is scoped).
            failures.AddRange((await validator.ValidateAsync(new ValidationContext<TRequest>(request).WithRequestServices(scope.ServiceProvider))).Errors);
        }

        if (failures.Count > 0)
        {
            return Error.Validation(failures.GroupBy(f => f.PropertyName).ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).ToArray()));
        }

        if (ownsTransaction)
        {
            return await handle(scope.ServiceProvider);
        }

        var unitOfWork = scope.ServiceProvider.GetRequiredKeyedService<IUnitOfWork>(Application.PaymentsModule.Name);
        return await unitOfWork.ExecuteAsync(async () => await handle(scope.ServiceProvider), r => r.IsSuccess, CancellationToken.None);
    }

    public sealed class TestUser : ICurrentUser
    {
        public bool IsAuthenticated => true;

        public string? UserId => "customer-1";

        public string? UserName => "customer@retail.local";

        public bool IsInRole(string role) => role == "customer";
    }

    /// <summary>Never fails unless a test says so: the simulator's dice come from here.</summary>
    public sealed class ScriptedRandom : IRandomSource
    {
        private readonly Queue<double> _values = new();
        private readonly Lock _gate = new();

        public void Enqueue(params double[] values)
        {
            lock (_gate)
            {
                foreach (var value in values)
                {
                    _values.Enqueue(value);
                }
            }
        }

        public double NextDouble()
        {
            lock (_gate)
            {
                return _values.TryDequeue(out var value) ? value : 0.999;
            }
        }
    }

    private sealed class IgnoreNudges : IOutboxNudge
    {
        public void Nudge(string module)
        {
        }
    }
}
