using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.Infrastructure.Observability;

/// <param name="Reachable">False only for a module without an outbox whose database did not answer.</param>
/// <param name="OldestPendingAt">When the oldest undelivered event happened (outbox lag); null when nothing is pending.</param>
public sealed record ModuleOutboxStatistics(string Module, bool HasOutbox, bool Reachable, int Backlog, int DeadLetters, DateTimeOffset? OldestPendingAt);

/// <summary>Outbox backlog and dead letters of every registered module database (health check and dashboard).</summary>
public interface IOutboxStatistics
{
    /// <summary>One row per <see cref="ModuleDatabase"/>; throws when a database with an outbox cannot be queried.</summary>
    Task<IReadOnlyList<ModuleOutboxStatistics>> GetAsync(CancellationToken cancellationToken = default);
}

internal sealed class OutboxStatistics(IServiceProvider services, IEnumerable<ModuleDatabase> modules) : IOutboxStatistics
{
    public async Task<IReadOnlyList<ModuleOutboxStatistics>> GetAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<ModuleOutboxStatistics>();
        await using var scope = services.CreateAsyncScope();
        foreach (var module in modules)
        {
            var db = (DbContext)scope.ServiceProvider.GetRequiredService(module.ContextType);
            if (db is ModuleDbContext withOutbox)
            {
                var pending = withOutbox.OutboxMessages.Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null);
                var backlog = await pending.CountAsync(cancellationToken);
                // A dead letter is never processed: saying so lets SQLite count through the ProcessedAt index (the rows
                // not yet processed) instead of reading every event the module ever sent.
                var deadLetters = await withOutbox.OutboxMessages.CountAsync(m => m.ProcessedAt == null && m.DeadLetteredAt != null, cancellationToken);
                DateTimeOffset? oldest = backlog == 0
                    ? null
                    : await pending.OrderBy(m => m.OccurredAt).Select(m => (DateTimeOffset?)m.OccurredAt).FirstOrDefaultAsync(cancellationToken);
                result.Add(new ModuleOutboxStatistics(module.Schema, true, true, backlog, deadLetters, oldest));
            }
            else
            {
                var reachable = await db.Database.CanConnectAsync(cancellationToken);
                result.Add(new ModuleOutboxStatistics(module.Schema, false, reachable, 0, 0, null));
            }
        }

        return result;
    }
}
