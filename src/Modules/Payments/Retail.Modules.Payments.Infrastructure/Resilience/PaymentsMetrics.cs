using System.Diagnostics.Metrics;
using Retail.Modules.Payments.Application.Abstractions;

namespace Retail.Modules.Payments.Infrastructure.Resilience;

/// <summary>
/// The <c>Retail.Payments</c> meter: provider attempts and operation outcomes (counters), breaker transitions, and the
/// breaker state and last MTTR as gauges. Created through <see cref="IMeterFactory"/> so every host (and test) has its own.
/// </summary>
internal sealed class PaymentsMetrics
{
    public const string MeterName = "Retail.Payments";

    private readonly Meter _meter;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _operations;
    private readonly Counter<long> _transitions;

    public PaymentsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _attempts = _meter.CreateCounter<long>("retail.payments.provider_attempts", description: "Single calls to a payment method, retries included, by outcome");
        _operations = _meter.CreateCounter<long>("retail.payments.operations", description: "Charges and refunds through the pipeline, by final outcome");
        _transitions = _meter.CreateCounter<long>("retail.payments.circuit_transitions", description: "Circuit breaker transitions, by target state");
    }

    /// <summary>Registers the gauges over the breaker state (0 closed, 1 half-open, 2 open) and the last MTTR in seconds.</summary>
    public void Observe(IPaymentCircuitMonitor circuit)
    {
        _meter.CreateObservableGauge("retail.payments.circuit_state", () => StateValue(circuit.Snapshot().State), description: "Payment circuit breaker: 0 closed, 1 half-open, 2 open");
        _meter.CreateObservableGauge("retail.payments.mttr_seconds", () => circuit.Snapshot().LastMttr?.TotalSeconds ?? 0d, unit: "s", description: "Breaker open to first successful payment, last outage");
    }

    public void Attempt(string operation, string method, string outcome) =>
        _attempts.Add(1, new("operation", operation), new("method", method), new("outcome", outcome));

    public void Operation(string operation, string method, ProviderOutcomeKind outcome) =>
        _operations.Add(1, new("operation", operation), new("method", method), new("outcome", outcome.ToString().ToLowerInvariant()));

    public void Transition(CircuitStatus to) => _transitions.Add(1, new KeyValuePair<string, object?>("to", TagOf(to)));

    public static string TagOf(CircuitStatus state) => state switch
    {
        CircuitStatus.Closed => "closed",
        CircuitStatus.HalfOpen => "half_open",
        _ => "open",
    };

    public static int StateValue(CircuitStatus state) => state switch
    {
        CircuitStatus.Closed => 0,
        CircuitStatus.HalfOpen => 1,
        _ => 2,
    };
}

/// <summary>
/// Creates the breaker state (and with it the gauges) at startup, so <c>/metrics</c> shows the breaker as closed from
/// the first scrape instead of only after the first payment.
/// </summary>
internal sealed class PaymentsTelemetryStartup(PaymentCircuitState circuit) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = circuit.Snapshot();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
