using System.Threading.Channels;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.Modules.Partners.Application;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Feeds.Pipeline;
using Retail.Modules.Partners.Application.Retention;
using Retail.Modules.Partners.Application.Webhooks;
using Retail.Modules.Partners.Domain.Feeds;
using Retail.Modules.Partners.Domain.Webhooks;

namespace Retail.Modules.Partners.Infrastructure.Jobs;

/// <summary>
/// The Hangfire entry point of a feed job, on the dedicated <c>feeds</c> queue (its own workers, so a long feed never
/// delays outbox delivery). No Hangfire retries: the job row decides (a failed job stays failed).
/// </summary>
public sealed class FeedJobRunner(FeedIngestProcessor processor)
{
    public const string Queue = "feeds";

    [Queue(Queue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task RunAsync(Guid jobId, CancellationToken cancellationToken) => processor.RunAsync(jobId, cancellationToken);
}

internal sealed class HangfireFeedJobQueue(IBackgroundJobClient jobs) : IFeedJobQueue
{
    public void Enqueue(Guid jobId) => jobs.Enqueue<FeedJobRunner>(runner => runner.RunAsync(jobId, CancellationToken.None));
}

/// <summary>
/// Applies received stock webhooks in the background, in process: the receiver nudges this worker right after the
/// delivery row commits (so the change lands within milliseconds, SPEC I2 "within 5 s"). Deliveries that arrive while a
/// batch is being applied form the next batch (up to <see cref="MaxBatch"/>), so the cost per delivery falls as the rate
/// rises instead of the queue growing. A batch also waits up to <see cref="Linger"/> after its first delivery for the
/// next ones: at a steady tens per second they otherwise arrive one per batch, and every batch costs two write
/// transactions plus a Catalog stock event delivered to three modules — the writes that made acknowledgements queue
/// behind SQLite's write lock (docs/benchmarks.md, "webhooks"). Outcome callbacks go out on their own loops (<see cref="CallbackSenders"/>), so a
/// slow partner endpoint and its retries never hold back the stock changes. At start the worker also picks up every
/// delivery not processed before a restart.
/// </summary>
internal sealed partial class WebhookWorker(IServiceScopeFactory scopes, ILogger<WebhookWorker> logger) : BackgroundService, IWebhookWorkQueue
{
    /// <summary>
    /// The most deliveries applied in one batch. At 1,000 deliveries/s, 50 left the worker just keeping up (a small
    /// slowdown and the backlog grew: applied p99 0.8–3.6 s); 200 drains a backlog four times faster for the same two
    /// transactions per batch (applied p99 0.57–0.75 s); acknowledgements, which wait behind those transactions, kept
    /// their p99 (median 143 ms over the runs of either; docs/benchmarks.md, session 26).
    /// </summary>
    public const int MaxBatch = 200;
    public const int CallbackSenders = 4;

    /// <summary>How long a batch that is not full waits for more deliveries (a small part of the 5 s SPEC I2 allows).</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(100);

    private readonly Channel<Guid> _queue = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<Guid> _callbacks = Channel.CreateUnbounded<Guid>();

    public void Nudge(Guid deliveryId) => _queue.Writer.TryWrite(deliveryId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var senders = Enumerable.Range(0, CallbackSenders).Select(_ => SendCallbacksAsync(stoppingToken)).ToList();
        await EnqueueUnprocessedAsync(stoppingToken);
        var batch = new List<Guid>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            await FillAsync(batch, stoppingToken);
            try
            {
                await ProcessAsync(batch, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && batch.Count > 1)
            {
                // One bad delivery must not hold back the others: apply them one by one.
                LogBatchFailed(logger, ex, batch.Count);
                foreach (var id in batch)
                {
                    try
                    {
                        await ProcessAsync([id], stoppingToken);
                    }
                    catch (Exception one) when (!stoppingToken.IsCancellationRequested)
                    {
                        LogFailed(logger, one, id);
                    }
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex, batch[0]);
            }
        }

        _callbacks.Writer.TryComplete();
        await Task.WhenAll(senders);
    }

    /// <summary>Takes what is queued, then whatever else arrives within <see cref="Linger"/>, up to <see cref="MaxBatch"/>.</summary>
    private async Task FillAsync(List<Guid> batch, CancellationToken stoppingToken)
    {
        Drain(batch);
        if (batch.Count >= MaxBatch)
        {
            return;
        }

        using var linger = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        linger.CancelAfter(Linger);
        try
        {
            while (batch.Count < MaxBatch && await _queue.Reader.WaitToReadAsync(linger.Token))
            {
                Drain(batch);
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The linger is over: apply what there is.
        }
    }

    private void Drain(List<Guid> batch)
    {
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var id))
        {
            batch.Add(id);
        }
    }

    private async Task ProcessAsync(IReadOnlyCollection<Guid> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var withCallback = await scope.ServiceProvider.GetRequiredService<StockWebhookProcessor>().ProcessAsync(batch, cancellationToken);
        foreach (var id in withCallback)
        {
            _callbacks.Writer.TryWrite(id);
        }
    }

    private async Task SendCallbacksAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await foreach (var id in _callbacks.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<StockWebhookProcessor>().SendCallbackAsync(id, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogCallbackFailed(logger, ex, id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: callbacks not sent yet are not replayed automatically (the portal can replay them).
        }
    }

    private async Task EnqueueUnprocessedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
            var pending = await db.WebhookDeliveries.AsNoTracking().Where(d => d.Status == DeliveryStatus.Received)
                .OrderBy(d => d.ReceivedAt).Select(d => d.Id).ToListAsync(cancellationToken);
            foreach (var id in pending)
            {
                Nudge(id);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A database that is not ready at start: deliveries wait for the next start or the next nudge.
            LogSweepFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Stock webhook {Id} could not be processed")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} stock webhooks failed; applying them one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The outcome callback of stock webhook {Id} could not be sent")]
    private static partial void LogCallbackFailed(ILogger logger, Exception exception, Guid id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unprocessed stock webhooks could not be listed at start")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}

/// <summary>
/// At start, re-queues every feed job the previous process did not finish (Hangfire's in-memory storage forgot them);
/// the job continues after its last committed batch.
/// </summary>
internal sealed partial class UnfinishedFeedJobsSweep(IServiceScopeFactory scopes, ILogger<UnfinishedFeedJobsSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
            var queue = scope.ServiceProvider.GetRequiredService<IFeedJobQueue>();
            var unfinished = await db.FeedJobs.AsNoTracking()
                .Where(j => j.Status == FeedJobStatus.Queued || j.Status == FeedJobStatus.Validating || j.Status == FeedJobStatus.Processing)
                .Select(j => j.Id).ToListAsync(stoppingToken);
            foreach (var id in unfinished)
            {
                queue.Enqueue(id);
            }

            if (unfinished.Count > 0)
            {
                LogRequeued(logger, unfinished.Count);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-queued {Count} unfinished feed jobs after start")]
    private static partial void LogRequeued(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unfinished feed jobs could not be listed at start")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary>The Hangfire entry point of the nightly partner records retention. No Hangfire retries: the next night is the retry.</summary>
public sealed class PartnerRecordsRetentionJob(PartnerRecordsRetention retention)
{
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken) => await retention.RunAsync(cancellationToken);
}

/// <summary>Registers the module's fixed recurring jobs at startup (feed schedules register their own).</summary>
internal sealed class PartnersRecurringJobs(IRecurringJobManager recurringJobs, IOptions<PartnersOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurringJobs.AddOrUpdate<PartnerRecordsRetentionJob>(PartnerRecordsRetention.JobId, job => job.RunAsync(CancellationToken.None), options.Value.RetentionCron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
