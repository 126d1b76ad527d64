namespace Retail.Modules.Payments.Infrastructure.Gateway;

/// <summary>
/// How the simulated payment gateway behaves; bound from <c>Payments:Simulator</c> at start and changeable at run time
/// from <c>/admin/payments</c> (so outages can be staged live).
/// </summary>
public sealed class SimulatorSettings
{
    public static readonly IReadOnlyList<string> DefaultDeclineCardSuffixes = ["0002"];

    /// <summary>Time every call takes before it answers.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>0..1: share of calls that fail transiently (retried by the pipeline).</summary>
    public double FailureProbability { get; set; }

    /// <summary>0..1: share of calls that hang past the pipeline's attempt timeout.</summary>
    public double TimeoutProbability { get; set; }

    /// <summary>Every call fails transiently: the provider is down.</summary>
    public bool Outage { get; set; }

    /// <summary>
    /// Card numbers ending in one of these are always declined. Null means the default ("0002"); an array (not a
    /// pre-filled list) because configuration binding would append to a list instead of replacing it.
    /// </summary>
    public string[]? DeclineCardSuffixes { get; set; }

    public IReadOnlyList<string> EffectiveDeclineCardSuffixes => DeclineCardSuffixes ?? DefaultDeclineCardSuffixes;

    /// <summary>
    /// Optional file where the simulator keeps its charges and refunds (one JSON line each), so it remembers them across
    /// a restart of the app as a real provider would (chaos runs kill the app with payments pending). Empty: memory only.
    /// </summary>
    public string? StateFile { get; set; }
}
