using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Partners.Domain.Feeds;

public enum FeedJobStatus
{
    Queued = 0,
    Validating = 1,
    Processing = 2,
    AwaitingConfirmation = 3,
    Completed = 4,
    CompletedWithErrors = 5,
    Failed = 6,
    Cancelled = 7,
}

public enum FeedMode
{
    Import = 0,

    /// <summary>The identical report, zero writes (<c>?mode=validate</c> or a sandbox key).</summary>
    Validate = 1,
}

public enum FeedKind
{
    /// <summary>Upserts only.</summary>
    Delta = 0,

    /// <summary>Upserts, then deactivates the partner's products the feed no longer lists.</summary>
    Full = 1,
}

public enum FeedSource
{
    Api = 0,
    Portal = 1,
    Schedule = 2,
}

/// <summary>
/// One feed's trip through the pipeline. The row is the truth of the work: Hangfire's in-memory storage forgets on
/// restart, so a sweep re-runs every job not finished, continuing after <see cref="RowsCommitted"/>.
/// </summary>
public sealed class FeedJob : AggregateRoot<Guid>
{
    private FeedJob()
    {
    }

    public Guid PartnerId { get; private set; }

    public FeedJobStatus Status { get; private set; }

    public FeedMode Mode { get; private set; }

    public FeedKind Kind { get; private set; }

    public FeedSource Source { get; private set; }

    public string Format { get; private set; } = "";

    public string FileName { get; private set; } = "";

    /// <summary>Lower-case hex SHA-256 of the feed bytes (idempotency on content).</summary>
    public string ContentHash { get; private set; } = "";

    public string? IdempotencyKey { get; private set; }

    public long SizeBytes { get; private set; }

    /// <summary>Rows read so far (all of them once the job ends).</summary>
    public int RowsRead { get; private set; }

    /// <summary>Rows whose outcome is committed: a resumed job continues after these.</summary>
    public int RowsCommitted { get; private set; }

    public int Created { get; private set; }

    public int Updated { get; private set; }

    public int Unchanged { get; private set; }

    public int Rejected { get; private set; }

    public int Deactivated { get; private set; }

    /// <summary>Products a full feed would deactivate; set while awaiting confirmation.</summary>
    public int PendingDeactivations { get; private set; }

    public int Percent { get; private set; }

    public string? FailureReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public int Attempts { get; private set; }

    public bool IsFinished => Status is FeedJobStatus.Completed or FeedJobStatus.CompletedWithErrors or FeedJobStatus.Failed or FeedJobStatus.Cancelled;

    public static FeedJob Queue(Guid partnerId, FeedMode mode, FeedKind kind, FeedSource source, string format, string fileName, string contentHash, string? idempotencyKey, long sizeBytes, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        PartnerId = partnerId,
        Status = FeedJobStatus.Queued,
        Mode = mode,
        Kind = kind,
        Source = source,
        Format = format,
        FileName = fileName.Length > 200 ? fileName[..200] : fileName,
        ContentHash = contentHash,
        IdempotencyKey = idempotencyKey,
        SizeBytes = sizeBytes,
        CreatedAt = now,
    };

    /// <summary>Starts (or resumes) a run. Counters of committed rows stay: a resumed run continues after them.</summary>
    public void Start(DateTimeOffset now)
    {
        CheckRule(new FeedJobMustBeUnfinishedRule(this));
        Status = FeedJobStatus.Validating;
        StartedAt ??= now;
        Attempts++;
    }

    public void BeginProcessing()
    {
        CheckRule(new FeedJobMustBeUnfinishedRule(this));
        Status = FeedJobStatus.Processing;
    }

    /// <summary>Progress by bytes read of the feed (rows are not known until the end of a streamed file).</summary>
    public void ReportProgress(long bytesRead, int rowsRead)
    {
        RowsRead = Math.Max(RowsRead, rowsRead);
        var percent = SizeBytes <= 0 ? 0 : (int)Math.Clamp(bytesRead * 100 / SizeBytes, 0, 99);
        Percent = Math.Max(Percent, percent);
    }

    /// <summary>A batch is committed: its counts and the row up to which the feed is done.</summary>
    public void Commit(int rowsCommitted, int created, int updated, int unchanged, int rejected)
    {
        RowsCommitted = rowsCommitted;
        Created += created;
        Updated += updated;
        Unchanged += unchanged;
        Rejected += rejected;
    }

    public void AwaitConfirmation(int wouldVanish)
    {
        PendingDeactivations = wouldVanish;
        Status = FeedJobStatus.AwaitingConfirmation;
        Percent = 99;
    }

    /// <summary>An admin confirmed (or the guard allowed) the deactivation of missing products.</summary>
    public void RecordDeactivated(int count)
    {
        Deactivated = count;
        PendingDeactivations = 0;
    }

    public void Complete(DateTimeOffset now)
    {
        Status = Rejected > 0 ? FeedJobStatus.CompletedWithErrors : FeedJobStatus.Completed;
        Percent = 100;
        FinishedAt = now;
    }

    /// <summary>Strict mode: one bad row rejects the whole feed; nothing was written.</summary>
    public void RejectAll(int rowsRead, int invalidRows, DateTimeOffset now)
    {
        RowsRead = rowsRead;
        Rejected = rowsRead;
        Created = Updated = Unchanged = 0;
        Status = FeedJobStatus.Failed;
        FailureReason = $"Strict mode: {invalidRows} invalid row(s) rejected the whole feed; nothing was imported.";
        Percent = 100;
        FinishedAt = now;
    }

    public void Fail(string reason, DateTimeOffset now)
    {
        Status = FeedJobStatus.Failed;
        FailureReason = reason.Length > 500 ? reason[..500] : reason;
        Percent = 100;
        FinishedAt = now;
    }

    public void Cancel(DateTimeOffset now)
    {
        CheckRule(new FeedJobMustBeUnfinishedRule(this));
        Status = FeedJobStatus.Cancelled;
        FinishedAt = now;
    }

    /// <summary>Raised once when the job reaches an end state, so the module can publish and email.</summary>
    public void Finished() => Raise(new FeedJobFinishedDomainEvent(this, FinishedAt ?? CreatedAt));
}

public sealed record FeedJobFinishedDomainEvent(FeedJob Job, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed class FeedJobMustBeUnfinishedRule(FeedJob job) : IBusinessRule
{
    public bool IsBroken() => job.IsFinished;

    public string Message => $"Feed job {job.Id} has already ended ({job.Status}).";
}

/// <summary>
/// The full-feed guard: deactivating more than a configured share of a partner's products is probably a truncated feed,
/// so the job pauses for an admin to confirm.
/// </summary>
public static class VanishGuard
{
    public const decimal DefaultMaxShare = 0.20m;

    public static bool NeedsConfirmation(int activeBefore, int wouldVanish, decimal maxShare) =>
        activeBefore > 0 && wouldVanish > 0 && (decimal)wouldVanish / activeBefore > maxShare;
}

/// <summary>One row/field problem of a feed, as the report lists it.</summary>
public sealed class FeedRowError
{
    private FeedRowError()
    {
    }

    public long Id { get; private set; }

    public Guid JobId { get; private set; }

    public int Line { get; private set; }

    public string Field { get; private set; } = "";

    public string Code { get; private set; } = "";

    public string Message { get; private set; } = "";

    public string? Sku { get; private set; }

    public static FeedRowError Record(Guid jobId, int line, string field, string code, string message, string? sku) => new()
    {
        JobId = jobId,
        Line = line,
        Field = Cut(field, 64),
        Code = Cut(code, 64),
        Message = Cut(message, 500),
        Sku = sku is null ? null : Cut(sku, 64),
    };

    private static string Cut(string value, int max) => value.Length > max ? value[..max] : value;
}
