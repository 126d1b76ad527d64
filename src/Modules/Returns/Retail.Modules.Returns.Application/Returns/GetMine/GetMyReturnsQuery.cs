using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.Application.Returns.GetMine;

/// <summary>Customer: "My returns", newest first, paged.</summary>
[Authenticated]
public sealed record GetMyReturnsQuery(int Page = 1, int PageSize = 20) : IQuery<PagedResult<ReturnSummaryDto>>;

public sealed class GetMyReturnsQueryValidator : AbstractValidator<GetMyReturnsQuery>
{
    public GetMyReturnsQueryValidator()
    {
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, PagedResult<ReturnSummaryDto>.MaxPageSize);
    }
}

public sealed class GetMyReturnsQueryHandler(IReturnsDbContext db, ReturnViewer viewer, IOptions<ReturnsOptions> options, TimeProvider time)
    : IQueryHandler<GetMyReturnsQuery, PagedResult<ReturnSummaryDto>>
{
    public async ValueTask<Result<PagedResult<ReturnSummaryDto>>> Handle(GetMyReturnsQuery query, CancellationToken cancellationToken)
    {
        var (page, size) = (query.Page, query.PageSize);
        var userId = viewer.UserId;
        var mine = db.Returns.AsNoTracking().Where(r => r.CustomerId == userId);
        var total = await mine.CountAsync(cancellationToken);
        var rows = await mine.OrderByDescending(r => r.CreatedAt).Skip((page - 1) * size).Take(size)
            .Select(r => new { r.Id, r.Code, r.OrderNumber, r.Status, r.CreatedAt, r.StageEnteredAt, Units = r.Lines.Sum(l => l.Quantity), r.CustomerId, r.Version })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return new PagedResult<ReturnSummaryDto>(
            [.. rows.Select(r => new ReturnSummaryDto(r.Id, r.Code, r.OrderNumber, r.Status.ToCode(), ReturnWorkflow.OwnerOf(r.Status), r.CreatedAt, r.StageEnteredAt, r.Units, r.CustomerId,
                ReturnQueries.IsOverdue(r.StageEnteredAt, r.Status, now, options.Value.StageSla), r.Version))],
            page,
            size,
            total);
    }
}
