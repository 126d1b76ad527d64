using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.Infrastructure.Outbox;

/// <summary>One event for one subscription: a unit of delivery. The deliveries of one outbox row share its decoded event.</summary>
internal sealed record SubscriberDelivery(IntegrationEventSubscription Subscription, OutboxMessage Message, DecodedEvents Events)
{
    /// <summary>The event, read from the row's JSON on first use (a bad payload throws here, inside the delivery's own try).</summary>
    public IIntegrationEvent Event => Events.Get(Message, Subscription);
}

/// <summary>
/// The events of one relay pass, each read from its JSON once however many modules subscribe to it (a feed batch's event
/// carries a snapshot of up to a thousand products; each of its three subscribers parsed it again). Handlers get the same
/// instance: events are immutable records. One relay pass delivers one subscriber at a time, so no locking.
/// </summary>
internal sealed class DecodedEvents
{
    private readonly Dictionary<(Guid MessageId, Type EventType), IIntegrationEvent> _events = [];

    public IIntegrationEvent Get(OutboxMessage message, IntegrationEventSubscription subscription)
    {
        if (!_events.TryGetValue((message.Id, subscription.EventType), out var decoded))
        {
            decoded = subscription.Decode(message.Payload);
            _events[(message.Id, subscription.EventType)] = decoded;
        }

        return decoded;
    }
}

/// <summary>
/// Delivers what one relay pass claimed for one subscribing module in one transaction of that module — one commit (one
/// flush of the log) instead of one per event and subscriber, which is what the relay's throughput on SQLite comes down
/// to. The deliveries run in the order the relay claimed them, each inside its own savepoint: a handler that throws
/// rolls back only its own event (reported at its index of the result; null means handled or already seen), and the
/// others still commit — none is handled twice because a neighbour failed. When the shared transaction itself fails
/// (its start, its commit, a savepoint), nothing of it is kept and each delivery is made on its own as
/// <see cref="IntegrationEventSubscription.DeliverAsync"/> does.
/// </summary>
internal static class SubscriberBatchDelivery
{
    private const string Savepoint = "inbox_delivery";

    public static async Task<Exception?[]> DeliverAsync(IServiceProvider rootServices, string module, IReadOnlyList<SubscriberDelivery> deliveries, TimeProvider time,
        Func<Exception, bool> isDeliveryFailure, CancellationToken cancellationToken)
    {
        if (deliveries.Count > 1)
        {
            try
            {
                return await DeliverTogetherAsync(rootServices, module, deliveries, time, isDeliveryFailure, cancellationToken);
            }
            catch (Exception ex) when (isDeliveryFailure(ex))
            {
                // Nothing of the shared transaction was kept: one at a time, each with its own outcome.
            }
        }

        var outcomes = new Exception?[deliveries.Count];
        for (var i = 0; i < deliveries.Count; i++)
        {
            try
            {
                await deliveries[i].Subscription.DeliverAsync(rootServices, deliveries[i].Message.Id, deliveries[i].Event, time, cancellationToken);
            }
            catch (Exception ex) when (isDeliveryFailure(ex))
            {
                outcomes[i] = ex;
            }
        }

        return outcomes;
    }

    private static async Task<Exception?[]> DeliverTogetherAsync(IServiceProvider rootServices, string module, IReadOnlyList<SubscriberDelivery> deliveries, TimeProvider time,
        Func<Exception, bool> isDeliveryFailure, CancellationToken cancellationToken)
    {
        await using var scope = rootServices.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(module);
        var strategy = context.Database.CreateExecutionStrategy();
        var eventIds = deliveries.Select(d => d.Message.Id).Distinct().ToList();
        return await strategy.ExecuteAsync(async ct =>
        {
            context.ChangeTracker.Clear();
            var outcomes = new Exception?[deliveries.Count];
            await using var transaction = await context.Database.BeginTransactionAsync(ct);
            var seen = (await context.InboxMessages.AsNoTracking()
                    .Where(m => eventIds.Contains(m.EventId))
                    .Select(m => new { m.EventId, m.Handler })
                    .ToListAsync(ct))
                .Select(m => (m.EventId, m.Handler))
                .ToHashSet();
            for (var i = 0; i < deliveries.Count; i++)
            {
                var (subscription, message, _) = deliveries[i];
                if (seen.Contains((message.Id, subscription.HandlerName)))
                {
                    continue;
                }

                await transaction.CreateSavepointAsync(Savepoint, ct);
                try
                {
                    await subscription.HandleAsync(scope.ServiceProvider, context, message.Id, deliveries[i].Event, time, ct);
                    await transaction.ReleaseSavepointAsync(Savepoint, ct);
                }
                catch (Exception ex) when (isDeliveryFailure(ex))
                {
                    await transaction.RollbackToSavepointAsync(Savepoint, ct);
                    outcomes[i] = ex;
                }

                // Each handler starts from the database as the one-at-a-time delivery would (a failed one's tracked
                // changes were never saved, or went with its savepoint).
                context.ChangeTracker.Clear();
            }

            await transaction.CommitAsync(ct);
            return outcomes;
        }, cancellationToken);
    }
}
