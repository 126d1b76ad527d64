using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Monitoring.Application.Abstractions;
using Retail.Modules.Monitoring.IntegrationEvents;

namespace Retail.Modules.Monitoring.Application.Totals.ReadBusinessTotals;

/// <summary>Answers the public <see cref="GetBusinessTotals"/>: every counter since the start.</summary>
public sealed class GetBusinessTotalsHandler(IMonitoringDbContext db) : IQueryHandler<GetBusinessTotals, IReadOnlyDictionary<string, long>>
{
    public async ValueTask<Result<IReadOnlyDictionary<string, long>>> Handle(GetBusinessTotals query, CancellationToken cancellationToken)
    {
        var totals = await db.BusinessTotals.AsNoTracking().ToDictionaryAsync(t => t.Name, t => t.Value, StringComparer.Ordinal, cancellationToken);
        return Result.Success<IReadOnlyDictionary<string, long>>(totals);
    }
}
