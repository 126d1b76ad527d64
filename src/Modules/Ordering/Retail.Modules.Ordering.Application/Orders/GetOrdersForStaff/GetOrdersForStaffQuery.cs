using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Domain.Orders;

namespace Retail.Modules.Ordering.Application.Orders.GetOrdersForStaff;

/// <summary>The warehouse queue: orders in one status (Paid by default), oldest first.</summary>
[AuthorizeRoles(Roles.Warehouse)]
public sealed record GetOrdersForStaffQuery(string? Status = null, int Page = 1, int PageSize = 20) : IQuery<PagedResult<OrderSummaryDto>>;

public sealed class GetOrdersForStaffQueryValidator : AbstractValidator<GetOrdersForStaffQuery>
{
    public GetOrdersForStaffQueryValidator()
    {
        RuleFor(q => q.Status).Must(s => string.IsNullOrEmpty(s) || Enum.TryParse<OrderStatus>(s, ignoreCase: true, out _)).WithMessage("Unknown status.");
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, PagedResult<OrderSummaryDto>.MaxPageSize);
    }
}

public sealed class GetOrdersForStaffQueryHandler(IOrderingDbContext db) : IQueryHandler<GetOrdersForStaffQuery, PagedResult<OrderSummaryDto>>
{
    public async ValueTask<Result<PagedResult<OrderSummaryDto>>> Handle(GetOrdersForStaffQuery query, CancellationToken cancellationToken)
    {
        var status = string.IsNullOrEmpty(query.Status) ? OrderStatus.Paid : Enum.Parse<OrderStatus>(query.Status, ignoreCase: true);
        var orders = db.Orders.AsNoTracking().Where(o => o.Status == status);
        var total = await orders.CountAsync(cancellationToken);
        var page = await orders.OrderBy(o => o.PlacedAt)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .Select(o => new { o.Id, o.Number, o.Status, Items = o.Lines.Sum(l => l.Quantity), o.Total, o.Currency, o.PlacedAt, o.CustomerId })
            .ToListAsync(cancellationToken);
        return new PagedResult<OrderSummaryDto>(
            [.. page.Select(o => new OrderSummaryDto(o.Id, o.Number, o.Status.ToString(), o.Items, o.Total, o.Currency, o.PlacedAt, o.CustomerId))],
            query.Page, query.PageSize, total);
    }
}
