using Retail.BuildingBlocks.Infrastructure.Observability;
using Retail.Modules.Monitoring.Application.Abstractions;

namespace Retail.Modules.Monitoring.Infrastructure.Outbox;

/// <summary>The platform's outbox statistics (the same queries as the database health check), as the dashboard reads them.</summary>
internal sealed class OutboxStatusAdapter(IOutboxStatistics statistics, TimeProvider time) : IOutboxStatus
{
    public async Task<IReadOnlyList<ModuleOutboxDto>> GetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var modules = await statistics.GetAsync(cancellationToken);
        return [.. modules.Select(m => new ModuleOutboxDto(
            m.Module,
            m.HasOutbox,
            m.Backlog,
            m.DeadLetters,
            m.OldestPendingAt is { } oldest ? Math.Round(Math.Max(0, (now - oldest).TotalSeconds), 1) : null))];
    }
}
