using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.Infrastructure.Outbox;

/// <summary>
/// Delivers a module's outbox. Rows are claimed with one conditional UPDATE, so relays running at the same time (two
/// instances, or the Hangfire sweep and the post-commit nudge) never deliver the same row twice; a relay that dies
/// leaves its claim to expire. Each subscriber's inbox makes redelivery harmless.
/// </summary>
public sealed class OutboxRelay(
    IServiceProvider services,
    IntegrationEventSubscriptions subscriptions,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger)
{
    private static readonly Meter Meter = new("Retail.Outbox");
    private static readonly Counter<long> Delivered = Meter.CreateCounter<long>("retail.outbox.delivered", description: "Outbox rows delivered to all subscribers");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("retail.outbox.failed", description: "Failed outbox delivery attempts");
    private static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("retail.outbox.dead_lettered", description: "Outbox rows given up on");

    /// <summary>Processes claimable rows of the module until none are left; returns how many were delivered.</summary>
    public async Task<int> RunAsync(string module, CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var delivered = await RunBatchAsync(module, cancellationToken);
            if (delivered.Claimed == 0)
            {
                break;
            }

            total += delivered.Delivered;
        }

        return total;
    }

    private async Task<(int Claimed, int Delivered)> RunBatchAsync(string module, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(module);
        var claimToken = Guid.NewGuid();
        var now = time.GetUtcNow();
        var claimedUntil = now + settings.ClaimDuration;

        var candidates = await Claimable(context.OutboxMessages, now)
            .OrderBy(m => m.OccurredAt)
            .Select(m => m.Id)
            .Take(settings.BatchSize)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return (0, 0);
        }

        // The claim: only rows still unclaimed at this instant are taken; a concurrent relay gets the rest (or none).
        await Claimable(context.OutboxMessages, now)
            .Where(m => candidates.Contains(m.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, claimToken).SetProperty(m => m.LockedUntil, claimedUntil), cancellationToken);

        var claimed = await context.OutboxMessages.AsNoTracking()
            .Where(m => m.LockedBy == claimToken && m.ProcessedAt == null)
            .OrderBy(m => m.OccurredAt)
            .ToListAsync(cancellationToken);

        // Each subscribing module gets what it subscribes to in one transaction, in the order claimed (a failing delivery
        // rolls back alone), and every subscriber gets its deliveries even when another one fails: the inbox skips those
        // that already succeeded when the row is retried.
        var failures = new Dictionary<Guid, List<Exception>>();
        var events = new DecodedEvents();
        var bySubscriber = claimed
            .SelectMany(message => subscriptions.For(message.Type).Select(subscription => new SubscriberDelivery(subscription, message, events)))
            .GroupBy(d => d.Subscription.SubscriberModule, StringComparer.Ordinal);
        foreach (var subscriber in bySubscriber)
        {
            var deliveries = subscriber.ToList();
            var outcomes = await SubscriberBatchDelivery.DeliverAsync(services, subscriber.Key, deliveries, time, ex => IsDeliveryFailure(ex, cancellationToken), cancellationToken);
            for (var i = 0; i < outcomes.Length; i++)
            {
                if (outcomes[i] is { } failure)
                {
                    (failures.TryGetValue(deliveries[i].Message.Id, out var list) ? list : failures[deliveries[i].Message.Id] = []).Add(failure);
                }
            }
        }

        var done = claimed.Where(m => !failures.ContainsKey(m.Id)).Select(m => m.Id).ToList();
        if (done.Count > 0)
        {
            await context.OutboxMessages.Where(m => done.Contains(m.Id) && m.LockedBy == claimToken)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ProcessedAt, time.GetUtcNow()).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), cancellationToken);
            Delivered.Add(done.Count, new KeyValuePair<string, object?>("module", module));
        }

        foreach (var message in claimed)
        {
            if (failures.TryGetValue(message.Id, out var errors))
            {
                await RecordFailureAsync(context, module, message, claimToken, errors.Count == 1 ? errors[0] : new AggregateException(errors), cancellationToken);
            }
        }

        var delivered = done.Count;
        return (candidates.Count, delivered);
    }

    private async Task RecordFailureAsync(ModuleDbContext context, string module, OutboxMessage message, Guid claimToken, Exception error, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var attempts = message.Attempts + 1;
        var now = time.GetUtcNow();
        var deadLetter = attempts >= settings.MaxAttempts;
        var backoff = TimeSpan.FromTicks(settings.RetryBaseDelay.Ticks * (1L << Math.Min(attempts - 1, 16)));
        var errorText = $"{error.GetType().Name}: {error.Message}";
        if (errorText.Length > 2000)
        {
            errorText = errorText[..2000];
        }

        await context.OutboxMessages.Where(m => m.Id == message.Id && m.LockedBy == claimToken)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.LastError, errorText)
                .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null)
                .SetProperty(m => m.NextAttemptAt, now + backoff)
                .SetProperty(m => m.DeadLetteredAt, deadLetter ? now : (DateTimeOffset?)null), cancellationToken);

        Failed.Add(1, new KeyValuePair<string, object?>("module", module));
        if (deadLetter)
        {
            DeadLettered.Add(1, new KeyValuePair<string, object?>("module", module));
            logger.LogError(error, "Outbox event {EventId} ({EventType}) of {Module} dead-lettered after {Attempts} attempts", message.Id, message.Type, module, attempts);
        }
        else
        {
            logger.LogWarning(error, "Outbox event {EventId} ({EventType}) of {Module} failed attempt {Attempts}; retrying after {Backoff}", message.Id, message.Type, module, attempts, backoff);
        }
    }

    // A handler's own timeout (TaskCanceledException from HttpClient, say) is a failed attempt like any other; only the
    // relay's own cancellation stops the pass.
    private static bool IsDeliveryFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    private static IQueryable<OutboxMessage> Claimable(IQueryable<OutboxMessage> rows, DateTimeOffset now) =>
        rows.Where(m => m.ProcessedAt == null
            && m.DeadLetteredAt == null
            && (m.LockedUntil == null || m.LockedUntil < now)
            && (m.NextAttemptAt == null || m.NextAttemptAt <= now));
}
