namespace Retail.BuildingBlocks.Infrastructure.Outbox;

public sealed class OutboxOptions
{
    /// <summary>Rows claimed per relay pass.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a claim lasts; a relay that crashes frees its rows after this.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed deliveries are retried with exponential backoff from this base.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After this many failed attempts a row is dead-lettered and left for an operator.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Cron of the Hangfire sweep per module; the post-commit nudge makes delivery immediate in between.</summary>
    public string SweepCron { get; set; } = "* * * * *";

    /// <summary>Delivered events and inbox receipts older than this are deleted by the retention job.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Cron of the retention job per module (daily, at night, by default).</summary>
    public string RetentionCron { get; set; } = "17 3 * * *";
}
