using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Ordering.Application.Abstractions;

namespace Retail.Modules.Ordering.Application.Orders.GetMyOrders;

/// <summary>The signed-in customer's own orders, newest first.</summary>
[Authenticated]
public sealed record GetMyOrdersQuery(int Page = 1, int PageSize = 20) : IQuery<PagedResult<OrderSummaryDto>>;

public sealed class GetMyOrdersQueryValidator : AbstractValidator<GetMyOrdersQuery>
{
    public GetMyOrdersQueryValidator()
    {
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, PagedResult<OrderSummaryDto>.MaxPageSize);
    }
}

public sealed class GetMyOrdersQueryHandler(IOrderingDbContext db, ICurrentUser user) : IQueryHandler<GetMyOrdersQuery, PagedResult<OrderSummaryDto>>
{
    public async ValueTask<Result<PagedResult<OrderSummaryDto>>> Handle(GetMyOrdersQuery query, CancellationToken cancellationToken)
    {
        var customerId = user.UserId!;
        var orders = db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId);
        var total = await orders.CountAsync(cancellationToken);
        var page = await orders.OrderByDescending(o => o.PlacedAt)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .Select(o => new { o.Id, o.Number, o.Status, Items = o.Lines.Sum(l => l.Quantity), o.Total, o.Currency, o.PlacedAt, o.CustomerId })
            .ToListAsync(cancellationToken);
        return new PagedResult<OrderSummaryDto>(
            [.. page.Select(o => new OrderSummaryDto(o.Id, o.Number, o.Status.ToString(), o.Items, o.Total, o.Currency, o.PlacedAt, o.CustomerId))],
            query.Page, query.PageSize, total);
    }
}
