using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Feeds.Parsing;
using Retail.Modules.Partners.Application.Feeds.Pipeline;
using Retail.Modules.Partners.Domain.Feeds;

namespace Retail.Modules.Partners.Application.Feeds;

/// <summary>A feed as it arrives: body stream, how it is labelled, and what the partner asked for.</summary>
public sealed record FeedUpload(
    Guid PartnerId,
    Stream Body,
    string? ContentType,
    string? FileName,
    FeedMode Mode,
    FeedKind Kind,
    FeedSource Source,
    string? IdempotencyKey);

public enum SubmissionOutcome
{
    /// <summary>Small feed, processed inside the request: the report is final.</summary>
    Processed,

    /// <summary>Larger feed: queued as a background job (202).</summary>
    Accepted,

    /// <summary>The same content or Idempotency-Key was sent before: the original job.</summary>
    Repeated,
}

public sealed record FeedSubmissionResult(SubmissionOutcome Outcome, FeedJobDto Job);

/// <summary>
/// Receives a feed: picks the adapter, stores the bytes within the size limit while hashing (413 before any parsing),
/// answers repeats with the original job, creates the job row, then runs small feeds inline and queues the rest.
/// </summary>
public sealed partial class FeedSubmissions(
    IPartnersDbContext db,
    IFeedStorage storage,
    FeedAdapterRegistry adapters,
    FeedIngestProcessor processor,
    IFeedJobQueue queue,
    IFeatureToggles features,
    IOptions<PartnersOptions> options,
    TimeProvider time,
    ILogger<FeedSubmissions> logger)
{
    public static readonly Error TooLarge = new("partners.feed_too_large", "The feed is larger than the limit.", ErrorKind.Validation);

    public static Error UnsupportedFormat(IEnumerable<string> formats) =>
        new("partners.unsupported_format", $"Unknown feed format: send a file ending in one of the supported formats ({string.Join(", ", formats)}) or a matching Content-Type.", ErrorKind.Validation);

    public static readonly Error IdempotencyKeyReused = Error.Unprocessable(
        "partners.idempotency_key_reused", "This Idempotency-Key was already used for a different feed, mode or kind.");

    public async Task<Result<FeedSubmissionResult>> SubmitAsync(FeedUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (await SwitchedOffAsync(cancellationToken) is { } off)
        {
            return off;
        }

        var adapter = adapters.Resolve(upload.ContentType, upload.FileName);
        if (adapter is null)
        {
            return UnsupportedFormat(adapters.Formats);
        }

        var key = string.IsNullOrWhiteSpace(upload.IdempotencyKey) ? null : upload.IdempotencyKey.Trim();
        if (key is { Length: > 100 })
        {
            return Error.Validation(new Dictionary<string, string[]> { ["Idempotency-Key"] = ["At most 100 characters."] });
        }

        var stored = await storage.SaveAsync(upload.Body, options.Value.MaxFeedBytes, cancellationToken);
        if (stored is null)
        {
            LogTooLarge(logger, upload.PartnerId, options.Value.MaxFeedBytes);
            return TooLarge;
        }

        return await CreateJobAsync(upload, adapter, key, stored, runInline: stored.SizeBytes <= options.Value.InlineMaxBytes, cancellationToken);
    }

    /// <summary>A feed a schedule fetched (already stored): a job of source Schedule, run here (this is a background job already).</summary>
    public async Task<Result<FeedSubmissionResult>> SubmitStoredAsync(Guid partnerId, StoredFeed stored, string? contentType, string fileName, FeedKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (await SwitchedOffAsync(cancellationToken) is { } off)
        {
            return off;
        }

        var adapter = adapters.Resolve(contentType, fileName);
        if (adapter is null)
        {
            return UnsupportedFormat(adapters.Formats);
        }

        var upload = new FeedUpload(partnerId, Stream.Null, contentType, fileName, FeedMode.Import, kind, FeedSource.Schedule, null);
        return await CreateJobAsync(upload, adapter, null, stored, runInline: true, cancellationToken);
    }

    /// <summary>SPEC M4: while an admin has partner ingest switched off, new feeds are refused (503); running jobs finish.</summary>
    private async Task<Error?> SwitchedOffAsync(CancellationToken cancellationToken) =>
        features.Find(Features.PartnerIngest) is { } toggle && !await toggle.IsEnabledAsync(cancellationToken)
            ? FeatureToggles.Unavailable(toggle.DisplayName)
            : null;

    private async Task<Result<FeedSubmissionResult>> CreateJobAsync(FeedUpload upload, IFeedAdapter adapter, string? key, StoredFeed stored, bool runInline, CancellationToken cancellationToken)
    {
        if (key is not null)
        {
            var byKey = await db.FeedJobs.AsNoTracking().FirstOrDefaultAsync(j => j.PartnerId == upload.PartnerId && j.IdempotencyKey == key, cancellationToken);
            if (byKey is not null)
            {
                // The key names one request: the same bytes under it with another mode or kind are another request. Its
                // validate-only run was answered to an import (and a delta run to a full feed) as if it were that job.
                return byKey.ContentHash == stored.ContentHash && byKey.Mode == upload.Mode && byKey.Kind == upload.Kind
                    ? new FeedSubmissionResult(SubmissionOutcome.Repeated, FeedJobDto.From(byKey))
                    : IdempotencyKeyReused;
            }
        }

        var byContent = await db.FeedJobs.AsNoTracking()
            .Where(j => j.PartnerId == upload.PartnerId && j.ContentHash == stored.ContentHash && j.Mode == upload.Mode && j.Kind == upload.Kind
                && j.Status != FeedJobStatus.Failed && j.Status != FeedJobStatus.Cancelled)
            .OrderByDescending(j => j.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (byContent is not null)
        {
            return new FeedSubmissionResult(SubmissionOutcome.Repeated, FeedJobDto.From(byContent));
        }

        var job = FeedJob.Queue(upload.PartnerId, upload.Mode, upload.Kind, upload.Source, adapter.Format,
            Path.GetFileName(upload.FileName ?? "") is { Length: > 0 } name ? name : $"feed.{adapter.Format}",
            stored.ContentHash, key, stored.SizeBytes, time.GetUtcNow());
        db.FeedJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        LogReceived(logger, job.Id, upload.PartnerId, adapter.Format, stored.SizeBytes, upload.Mode);

        if (runInline)
        {
            await processor.RunAsync(job.Id, cancellationToken);
            var done = await db.FeedJobs.AsNoTracking().SingleAsync(j => j.Id == job.Id, cancellationToken);
            return new FeedSubmissionResult(SubmissionOutcome.Processed, FeedJobDto.From(done));
        }

        queue.Enqueue(job.Id);
        return new FeedSubmissionResult(SubmissionOutcome.Accepted, FeedJobDto.From(job));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed job {JobId} received from partner {PartnerId}: {Format}, {Bytes} bytes, {Mode}")]
    private static partial void LogReceived(ILogger logger, Guid jobId, Guid partnerId, string format, long bytes, FeedMode mode);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Security: feed from partner {PartnerId} refused, larger than {Limit} bytes")]
    private static partial void LogTooLarge(ILogger logger, Guid partnerId, long limit);
}
