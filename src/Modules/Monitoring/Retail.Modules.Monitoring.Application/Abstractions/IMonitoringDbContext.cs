using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Monitoring.Domain.Totals;

namespace Retail.Modules.Monitoring.Application.Abstractions;

/// <summary>The Monitoring tables as its handlers see them.</summary>
public interface IMonitoringDbContext : IModuleDbContext
{
    DbSet<BusinessTotal> BusinessTotals { get; }

    DbSet<DailyTotal> DailyTotals { get; }
}

/// <summary>Outbox backlog and dead letters of every module database (from the platform's outbox statistics).</summary>
public interface IOutboxStatus
{
    Task<IReadOnlyList<ModuleOutboxDto>> GetAsync(CancellationToken cancellationToken);
}

/// <param name="OldestPendingAgeSeconds">Age of the oldest undelivered event (outbox lag); null when nothing is pending.</param>
public sealed record ModuleOutboxDto(string Module, bool HasOutbox, int Backlog, int DeadLetters, double? OldestPendingAgeSeconds);
