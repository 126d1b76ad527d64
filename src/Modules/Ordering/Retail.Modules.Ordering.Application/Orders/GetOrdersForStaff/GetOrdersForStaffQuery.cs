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
        RuleFor(q => q.Status).Must(s => StaffOrderStatuses.TryParse(s, out _))
            .WithMessage($"Status must be one of {string.Join(", ", StaffOrderStatuses.Names)}.");
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, PagedResult<OrderSummaryDto>.MaxPageSize);
    }
}

public sealed class GetOrdersForStaffQueryHandler(IOrderingDbContext db) : IQueryHandler<GetOrdersForStaffQuery, PagedResult<OrderSummaryDto>>
{
    public async ValueTask<Result<PagedResult<OrderSummaryDto>>> Handle(GetOrdersForStaffQuery query, CancellationToken cancellationToken)
    {
        StaffOrderStatuses.TryParse(query.Status, out var status);
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

/// <summary>The status filter of the warehouse queue: a status name (any case), or none for Paid.</summary>
internal static class StaffOrderStatuses
{
    public static readonly IReadOnlyList<string> Names = Enum.GetNames<OrderStatus>();

    public static bool TryParse(string? value, out OrderStatus status)
    {
        status = OrderStatus.Paid;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        // Only the names ("1" and "Paid,Shipped" are not statuses: EnumNames says why).
        return EnumNames.TryParse(value, Names, out status);
    }
}
