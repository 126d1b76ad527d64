namespace Retail.Modules.Payments.Application.Abstractions;

/// <summary>Live state of the payment circuit breaker, for the admin page and the dashboard.</summary>
public interface IPaymentCircuitMonitor
{
    CircuitSnapshot Snapshot();
}

public enum CircuitStatus
{
    Closed,
    Open,
    HalfOpen,
}

/// <param name="OpenedAt">When the current outage began (first opening since the last close); null while closed.</param>
/// <param name="LastMttr">Breaker open → first successful call, for the last outage that ended.</param>
public sealed record CircuitSnapshot(
    CircuitStatus State,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? LastTransitionAt,
    TimeSpan? LastMttr,
    DateTimeOffset? LastRecoveredAt,
    long Openings);

/// <summary>Run-time control of the simulated payment gateway, so an admin can stage an outage live.</summary>
public interface IPaymentGatewaySimulatorControl
{
    SimulatorSettingsDto Current { get; }

    void Apply(SimulatorSettingsDto settings);

    GatewayTotals Totals();
}

/// <param name="FailureProbability">0..1: share of calls failing transiently.</param>
/// <param name="TimeoutProbability">0..1: share of calls hanging past the attempt timeout.</param>
/// <param name="Outage">Every call fails transiently.</param>
/// <param name="DeclineCardSuffixes">Card numbers ending in one of these are always declined.</param>
public sealed record SimulatorSettingsDto(int LatencyMs, double FailureProbability, double TimeoutProbability, bool Outage, IReadOnlyList<string> DeclineCardSuffixes);

public sealed record GatewayTotals(long Calls, long Charges, long Refunds, long Declines, long TransientFailures, long Timeouts);
