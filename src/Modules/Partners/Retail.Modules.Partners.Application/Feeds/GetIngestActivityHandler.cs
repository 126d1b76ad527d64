using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Domain.Feeds;
using Retail.Modules.Partners.IntegrationEvents;

namespace Retail.Modules.Partners.Application.Feeds;

public sealed class GetIngestActivityHandler(IPartnersDbContext db) : IQueryHandler<GetIngestActivity, IngestActivityDto>
{
    public async ValueTask<Result<IngestActivityDto>> Handle(GetIngestActivity query, CancellationToken cancellationToken)
    {
        var counts = await db.FeedJobs.AsNoTracking()
            .Where(j => j.Status == FeedJobStatus.Queued || j.Status == FeedJobStatus.Validating || j.Status == FeedJobStatus.Processing
                || j.Status == FeedJobStatus.AwaitingConfirmation)
            .GroupBy(j => j.Status == FeedJobStatus.AwaitingConfirmation)
            .Select(g => new { Awaiting = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return new IngestActivityDto(counts.Where(c => !c.Awaiting).Sum(c => c.Count), counts.Where(c => c.Awaiting).Sum(c => c.Count));
    }
}
