using Retail.BuildingBlocks.Domain;
using Retail.Modules.Partners.Domain.Feeds;

namespace Retail.Modules.Partners.Domain.Schedules;

/// <summary>A feed URL the shop fetches on a cron schedule (a Hangfire recurring job); each run is a normal feed job.</summary>
public sealed class FeedSchedule : Entity<Guid>
{
    private FeedSchedule()
    {
    }

    public Guid PartnerId { get; private set; }

    public string Url { get; private set; } = "";

    public string Cron { get; private set; } = "";

    public FeedKind Kind { get; private set; }

    public bool IsPaused { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? LastRunAt { get; private set; }

    public Guid? LastJobId { get; private set; }

    /// <summary>The Hangfire recurring job id of this schedule.</summary>
    public string RecurringJobId => $"partner-feed-{Id:N}";

    public static FeedSchedule Create(Guid partnerId, string url, string cron, FeedKind kind, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        PartnerId = partnerId,
        Url = url.Trim(),
        Cron = cron.Trim(),
        Kind = kind,
        CreatedAt = now,
    };

    public void Pause() => IsPaused = true;

    public void Resume() => IsPaused = false;

    public void Ran(Guid jobId, DateTimeOffset now)
    {
        LastJobId = jobId;
        LastRunAt = now;
    }
}
