using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Feeds.Parsing;
using Retail.Modules.Partners.Domain.Feeds;

namespace Retail.Modules.Partners.Application.Feeds.Pipeline;

/// <summary>
/// Runs one feed job: stream-parse → sanitize → validate → upsert into Catalog in batches (each batch one Catalog
/// transaction through <see cref="UpsertPartnerProducts"/>), checkpointing the job row after every batch so a restarted
/// job continues after the last committed row. Validate-only jobs run the same steps without the Catalog calls.
/// Not a mediator command on purpose: it must not hold a Partners transaction while Catalog writes (one SQLite writer).
/// Each batch goes to Catalog in a DI scope of its own, so Catalog's change tracker holds one batch, never the whole feed
/// (a job-long context made every save scan every product upserted so far: quadratic time and memory growing with the feed).
/// </summary>
public sealed partial class FeedIngestProcessor(
    IPartnersDbContext db,
    IServiceScopeFactory scopes,
    IFeedStorage storage,
    FeedAdapterRegistry adapters,
    IFeedJobObserver observer,
    [FromKeyedServices(PartnersModule.Name)] IUnitOfWork unitOfWork,
    IOptions<PartnersOptions> options,
    TimeProvider time,
    ILogger<FeedIngestProcessor> logger)
{
    public async Task RunAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await db.FeedJobs.SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null || job.IsFinished || job.Status == FeedJobStatus.AwaitingConfirmation)
        {
            return;
        }

        var partner = await db.Partners.AsNoTracking().SingleAsync(p => p.Id == job.PartnerId, cancellationToken);
        var adapter = adapters.ForFormat(job.Format);
        if (adapter is null)
        {
            await FinishAsync(job, j => j.Fail($"No adapter for format '{job.Format}'.", time.GetUtcNow()), cancellationToken);
            return;
        }

        job.Start(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var validateOnly = job.Mode == FeedMode.Validate;
            if (partner.StrictMode && !validateOnly && job.RowsCommitted == 0)
            {
                // Strict: a first pass validates everything; one invalid row rejects the feed before any write.
                var firstPass = await PassAsync(job, adapter, write: false, check: true, cancellationToken);
                if (firstPass.InvalidRows > 0)
                {
                    foreach (var issue in firstPass.Issues)
                    {
                        db.FeedRowErrors.Add(FeedRowError.Record(job.Id, issue.Line, issue.Field, issue.Code, issue.Message, issue.Sku));
                    }

                    await FinishAsync(job, j => j.RejectAll(firstPass.Rows, firstPass.InvalidRows, time.GetUtcNow()), cancellationToken);
                    LogFinished(logger, job.Id, job.Status, job.RowsRead, stopwatch.Elapsed.TotalSeconds);
                    return;
                }

                job.BeginProcessing();
                await PassAsync(job, adapter, write: true, check: false, cancellationToken);
            }
            else
            {
                if (!validateOnly && job.RowsCommitted == 0)
                {
                    // A file-level error (cut-off upload, bad byte, malformed structure) refuses the whole file, so it
                    // must surface before the first batch is written, not after several already were.
                    await ReadStructureAsync(job, adapter, cancellationToken);
                }

                job.BeginProcessing();
                await PassAsync(job, adapter, write: !validateOnly, check: false, cancellationToken);
            }

            if (job.Kind == FeedKind.Full && !validateOnly && !await GuardDeactivationsAsync(job, cancellationToken))
            {
                LogAwaiting(logger, job.Id, job.PendingDeactivations);
                return;
            }

            await FinishAsync(job, j => j.Complete(time.GetUtcNow()), cancellationToken);
            LogFinished(logger, job.Id, job.Status, job.RowsRead, stopwatch.Elapsed.TotalSeconds);
        }
        catch (FeedFormatException ex)
        {
            db.FeedRowErrors.Add(FeedRowError.Record(job.Id, ex.Line, "file", ex.Code, ex.Message, null));
            LogRefused(logger, job.Id, ex.Code, ex.Line);
            await FinishAsync(job, j => j.Fail(ex.Message, time.GetUtcNow()), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Anything else (the stored file gone, a batch the catalog refused, a defect) ends the job Failed: left in
            // 'Processing' the status API would report progress for ever, and the partner (whose resend of the same bytes
            // starts a new job once this one failed) would never know. The cause goes to the log, not to the partner.
            LogCrashed(logger, ex, job.Id);
            await FinishAsync(job, j => j.Fail(InternalFailure(job.Id), time.GetUtcNow()), CancellationToken.None);
        }
    }

    /// <summary>What a partner reads about a job that failed on the shop's side: no internals, the job id as the reference.</summary>
    public static string InternalFailure(Guid jobId) =>
        $"The feed could not be processed because of an error on the shop's side (reference {jobId:N}). Nothing more will be imported from this job; send the feed again, and if it fails again, contact the shop with the reference.";

    /// <summary>An admin confirmed a paused full feed: deactivate what it no longer lists, then complete the job.</summary>
    public async Task ConfirmDeactivationAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await db.FeedJobs.SingleAsync(j => j.Id == jobId, cancellationToken);
        if (job.Status != FeedJobStatus.AwaitingConfirmation)
        {
            return;
        }

        var adapter = adapters.ForFormat(job.Format)!;
        var feedSkus = await ReadSkusAsync(job, adapter, cancellationToken);
        var missing = await MissingSkusAsync(job, feedSkus, cancellationToken);
        var deactivated = await InOwnScopeAsync(sender => sender.Send(new DeactivatePartnerProducts(job.PartnerId.ToString("N"), missing), cancellationToken));
        job.RecordDeactivated(deactivated.IsSuccess ? deactivated.Value : 0);
        await FinishAsync(job, j => j.Complete(time.GetUtcNow()), cancellationToken);
    }

    private sealed record PassResult(int Rows, int InvalidRows, List<RowIssue> Issues);

    /// <summary>
    /// One read of the feed. A check pass (strict mode's first) only collects issues (up to the stored-error limit) and
    /// writes nothing; a run pass upserts (when <paramref name="write"/>) and checkpoints counts and errors per batch.
    /// </summary>
    private async Task<PassResult> PassAsync(FeedJob job, IFeedAdapter adapter, bool write, bool check, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var mapper = new FeedRowMapper(settings.Currency);
        var partnerKey = job.PartnerId.ToString("N");
        var seen = new FirstLineBySku();
        var batch = new List<PartnerProductRow>(settings.BatchSize);
        var batchIssues = new List<RowIssue>();
        var storedErrors = await db.FeedRowErrors.CountAsync(e => e.JobId == job.Id, cancellationToken);
        var resumeAfter = check ? 0 : job.RowsCommitted;
        var collected = new List<RowIssue>();
        int rows = 0, invalidRows = 0, batchRejected = 0;
        var batchStart = resumeAfter + 1;
        await using var file = storage.Open(job.ContentHash);
        await using var counting = new CountingStream(file);

        async Task FlushAsync()
        {
            int created = 0, updated = 0, unchanged = 0;
            if (write && batch.Count > 0)
            {
                // The key is the batch's first row: batch boundaries are the same when a resumed job replays a batch.
                var batchKey = string.Create(CultureInfo.InvariantCulture, $"{job.Id:N}:{batchStart}");
                var result = await InOwnScopeAsync(sender => sender.Send(new UpsertPartnerProducts(partnerKey, batch, batchKey), cancellationToken));
                if (!result.IsSuccess)
                {
                    throw new InvalidOperationException($"Catalog refused a batch: {result.Error.Code} {result.Error.Message}");
                }

                created = result.Value.Created;
                updated = result.Value.Updated;
                unchanged = result.Value.Unchanged;
                foreach (var refusal in result.Value.Refused)
                {
                    batchIssues.Add(new RowIssue(seen.LineOf(refusal.Sku), FeedFields.Sku, refusal.Code, refusal.Message, refusal.Sku));
                    batchRejected++;
                }
            }

            if (check)
            {
                collected.AddRange(batchIssues.Take(Math.Max(0, settings.MaxStoredErrors - collected.Count)));
            }
            else
            {
                foreach (var issue in batchIssues)
                {
                    if (storedErrors++ < settings.MaxStoredErrors)
                    {
                        db.FeedRowErrors.Add(FeedRowError.Record(job.Id, issue.Line, issue.Field, issue.Code, issue.Message, issue.Sku));
                    }
                }

                if (rows > resumeAfter)
                {
                    job.Commit(rows, created, updated, unchanged, batchRejected);
                }
            }

            job.ReportProgress(counting.BytesRead, rows);
            await db.SaveChangesAsync(cancellationToken);
            batch.Clear();
            batchStart = rows + 1;
            batchIssues.Clear();
            batchRejected = 0;
            await observer.BatchCommittedAsync(job.Id, rows, cancellationToken);
        }

        await foreach (var raw in adapter.ReadAsync(counting, new FeedReadOptions(settings.MaxFieldLength, settings.MaxJsonDepth), cancellationToken))
        {
            rows++;
            var (row, issues) = mapper.Map(raw);
            if (row is not null && !seen.TryAdd(row.Sku, raw.Line, out var firstLine))
            {
                issues.Add(new RowIssue(raw.Line, FeedFields.Sku, "duplicate_sku", $"sku {row.Sku} already appeared on line {firstLine}.", row.Sku));
                row = null;
            }

            if (row is null)
            {
                invalidRows++;
            }

            if (rows <= resumeAfter)
            {
                continue; // committed before a restart: counted and reported already
            }

            if (row is null)
            {
                batchRejected++;
                batchIssues.AddRange(issues);
                LogRowRejected(logger, job.Id, raw.Line, issues[0].Field, issues[0].Code);
            }
            else
            {
                batch.Add(row);
            }

            if (batch.Count >= settings.BatchSize || batchIssues.Count >= settings.BatchSize)
            {
                await FlushAsync();
            }
        }

        if (rows > resumeAfter || batch.Count > 0 || batchIssues.Count > 0)
        {
            await FlushAsync();
        }

        job.ReportProgress(counting.BytesRead, rows);
        return new PassResult(rows, invalidRows, collected);
    }

    /// <summary>True when the job may complete now; false when it paused for an admin to confirm.</summary>
    private async Task<bool> GuardDeactivationsAsync(FeedJob job, CancellationToken cancellationToken)
    {
        var adapter = adapters.ForFormat(job.Format)!;
        var feedSkus = await ReadSkusAsync(job, adapter, cancellationToken);
        var active = await InOwnScopeAsync(sender => sender.Send(new GetActivePartnerSkus(job.PartnerId.ToString("N")), cancellationToken));
        var activeCount = active.IsSuccess ? active.Value.Count : 0;
        var missing = active.IsSuccess ? active.Value.Where(s => !feedSkus.Contains(s)).ToList() : [];
        if (missing.Count == 0)
        {
            return true;
        }

        if (VanishGuard.NeedsConfirmation(activeCount, missing.Count, options.Value.MaxVanishShare))
        {
            job.AwaitConfirmation(missing.Count);
            await db.SaveChangesAsync(cancellationToken);
            return false;
        }

        var deactivated = await InOwnScopeAsync(sender => sender.Send(new DeactivatePartnerProducts(job.PartnerId.ToString("N"), missing), cancellationToken));
        job.RecordDeactivated(deactivated.IsSuccess ? deactivated.Value : 0);
        return true;
    }

    private async Task<List<string>> MissingSkusAsync(FeedJob job, HashSet<string> feedSkus, CancellationToken cancellationToken)
    {
        var active = await InOwnScopeAsync(sender => sender.Send(new GetActivePartnerSkus(job.PartnerId.ToString("N")), cancellationToken));
        return active.IsSuccess ? [.. active.Value.Where(s => !feedSkus.Contains(s))] : [];
    }

    /// <summary>Reads the whole feed without mapping it: throws <see cref="FeedFormatException"/> when it cannot be read.</summary>
    private async Task ReadStructureAsync(FeedJob job, IFeedAdapter adapter, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var file = storage.Open(job.ContentHash);
        await foreach (var _ in adapter.ReadAsync(file, new FeedReadOptions(settings.MaxFieldLength, settings.MaxJsonDepth), cancellationToken))
        {
        }
    }

    /// <summary>The SKUs a feed lists (valid or not: a row with a typo must not make its product vanish).</summary>
    private async Task<HashSet<string>> ReadSkusAsync(FeedJob job, IFeedAdapter adapter, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var skus = new HashSet<string>(StringComparer.Ordinal);
        await using var file = storage.Open(job.ContentHash);
        await foreach (var raw in adapter.ReadAsync(file, new FeedReadOptions(settings.MaxFieldLength, settings.MaxJsonDepth), cancellationToken))
        {
            if (raw.Fields.TryGetValue(FeedFields.Sku, out var sku) && !string.IsNullOrWhiteSpace(sku))
            {
                skus.Add(sku.Trim().ToUpperInvariant());
            }
        }

        return skus;
    }

    /// <summary>Sends a request to another module in a fresh DI scope (fresh DbContexts), see the class summary.</summary>
    private async Task<TResult> InOwnScopeAsync<TResult>(Func<IRequestSender, ValueTask<TResult>> send)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await send(scope.ServiceProvider.GetRequiredService<IRequestSender>());
    }

    /// <summary>Ends the job in one unit of work, so its FeedJobFinished event leaves through the outbox right away.</summary>
    private async Task FinishAsync(FeedJob job, Action<FeedJob> end, CancellationToken cancellationToken) =>
        await unitOfWork.ExecuteAsync(() =>
        {
            end(job);
            job.Finished();
            return Task.FromResult(true);
        }, _ => true, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed job {JobId} finished {Status}: {Rows} rows in {Seconds:0.00} s")]
    private static partial void LogFinished(ILogger logger, Guid jobId, FeedJobStatus status, int rows, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed job {JobId} paused: a full feed would deactivate {Count} products; an admin must confirm")]
    private static partial void LogAwaiting(ILogger logger, Guid jobId, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Feed job {JobId} failed on an unexpected error; it is marked Failed")]
    private static partial void LogCrashed(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Security: feed job {JobId} refused as a whole ({Code}) at line {Line}")]
    private static partial void LogRefused(ILogger logger, Guid jobId, string code, int line);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Security: feed job {JobId} rejected line {Line} field {Field} ({Code})")]
    private static partial void LogRowRejected(ILogger logger, Guid jobId, int line, string field, string code);
}

/// <summary>Counts bytes read so progress can be reported while the feed streams.</summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        BytesRead += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        BytesRead += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
