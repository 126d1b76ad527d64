using System.Threading.Channels;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Feeds.Pipeline;
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
/// delivery row commits (so the change lands within milliseconds, SPEC I2 "within 5 s"). At start it also picks up every
/// delivery not processed before a restart.
/// </summary>
internal sealed partial class WebhookWorker(IServiceScopeFactory scopes, ILogger<WebhookWorker> logger) : BackgroundService, IWebhookWorkQueue
{
    private readonly Channel<Guid> _queue = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public void Nudge(Guid deliveryId) => _queue.Writer.TryWrite(deliveryId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await EnqueueUnprocessedAsync(stoppingToken);
        await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<StockWebhookProcessor>().ProcessAsync(id, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex, id);
            }
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
