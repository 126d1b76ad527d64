namespace Retail.Modules.Payments.Infrastructure.Resilience;

/// <summary>The parameters of the <c>payments</c> pipeline (SPEC A2), bound from <c>Payments:Resilience</c>.</summary>
public sealed class PaymentsResilienceOptions
{
    /// <summary>Retries after the first attempt, for transient failures only.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First retry delay; doubles each retry, with jitter. Tests set zero so no time needs to pass.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>One attempt that takes longer is abandoned (and counts as a transient failure).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The whole call, retries included: a customer always has an answer within this.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>1.0 with <see cref="MinimumThroughput"/> 3: three failures in a row within the window open the breaker.</summary>
    public double FailureRatio { get; set; } = 1.0;

    public int MinimumThroughput { get; set; } = 3;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the breaker stays open before it lets one probe through (half-open).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Module settings outside the pipeline, bound from <c>Payments</c>.</summary>
public sealed class PaymentsOptions
{
    /// <summary>Cron of the <c>payments-refund-sweep</c> job that completes refunds accepted during an outage.</summary>
    public string RefundSweepCron { get; set; } = "* * * * *";
}
