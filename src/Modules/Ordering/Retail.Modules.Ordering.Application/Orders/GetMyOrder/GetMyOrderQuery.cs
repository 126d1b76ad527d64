using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Ordering.Application.Abstractions;

namespace Retail.Modules.Ordering.Application.Orders.GetMyOrder;

/// <summary>One of the signed-in customer's orders. Someone else's order id is 404, exactly like an unknown id (SPEC S4).</summary>
[Authenticated]
public sealed record GetMyOrderQuery(Guid OrderId) : IQuery<OrderDto>;

/// <summary>Any order, for warehouse staff.</summary>
[AuthorizeRoles(Roles.Warehouse)]
public sealed record GetOrderForStaffQuery(Guid OrderId) : IQuery<OrderDto>;

public sealed class GetMyOrderQueryHandler(IOrderingDbContext db, ICurrentUser user) :
    IQueryHandler<GetMyOrderQuery, OrderDto>,
    IQueryHandler<GetOrderForStaffQuery, OrderDto>
{
    public static Error NotFound() => Error.NotFound("ordering.order_not_found", "No such order.");

    public async ValueTask<Result<OrderDto>> Handle(GetMyOrderQuery query, CancellationToken cancellationToken)
    {
        var customerId = user.UserId!;
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines)
            .SingleOrDefaultAsync(o => o.Id == query.OrderId && o.CustomerId == customerId, cancellationToken);
        return order is null ? NotFound() : OrderDto.From(order);
    }

    public async ValueTask<Result<OrderDto>> Handle(GetOrderForStaffQuery query, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == query.OrderId, cancellationToken);
        return order is null ? NotFound() : OrderDto.From(order);
    }
}
