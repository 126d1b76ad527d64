namespace Retail.BuildingBlocks.Infrastructure.Idempotency;

public sealed class IdempotencyOptions
{
    /// <summary>
    /// Finished requests are remembered this long after they completed; a repeat later than this is a new request. Longer
    /// than any client retries (a checkout page, a payment retry, a feed job resumed after a restart) and as long as a
    /// partner's deliveries are remembered (Partners:DeliveryRetention).
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Cron of the retention job per module (daily, at night, by default).</summary>
    public string RetentionCron { get; set; } = "37 3 * * *";
}
