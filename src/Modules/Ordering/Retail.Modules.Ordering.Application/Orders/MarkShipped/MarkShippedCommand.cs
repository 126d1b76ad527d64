using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Application.Orders.GetMyOrder;
using Retail.Modules.Ordering.Domain.Orders;

namespace Retail.Modules.Ordering.Application.Orders.MarkShipped;

/// <summary>Warehouse: a paid order left the building.</summary>
[AuthorizeRoles(Roles.Warehouse)]
public sealed record MarkShippedCommand(Guid OrderId) : ICommand;

/// <summary>Warehouse: a shipped order reached the customer (Returns needs Delivered).</summary>
[AuthorizeRoles(Roles.Warehouse)]
public sealed record MarkDeliveredCommand(Guid OrderId) : ICommand;

public sealed class MarkShippedCommandHandler(IOrderingDbContext db, TimeProvider time) :
    ICommandHandler<MarkShippedCommand>,
    ICommandHandler<MarkDeliveredCommand>
{
    public static Error IllegalTransition(OrderStatus from, OrderStatus to) =>
        Error.Conflict("ordering.illegal_transition", $"An order that is {from} cannot become {to}.");

    public ValueTask<Result> Handle(MarkShippedCommand command, CancellationToken cancellationToken) =>
        MoveAsync(command.OrderId, OrderStatus.Shipped, (o, now) => o.MarkShipped(now), cancellationToken);

    public ValueTask<Result> Handle(MarkDeliveredCommand command, CancellationToken cancellationToken) =>
        MoveAsync(command.OrderId, OrderStatus.Delivered, (o, now) => o.MarkDelivered(now), cancellationToken);

    private async ValueTask<Result> MoveAsync(Guid orderId, OrderStatus to, Action<Order, DateTimeOffset> move, CancellationToken cancellationToken)
    {
        var order = await db.Orders.Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is null)
        {
            return GetMyOrderQueryHandler.NotFound();
        }

        if (!OrderStatusTransitionMustBeAllowedRule.IsAllowed(order.Status, to))
        {
            return IllegalTransition(order.Status, to);
        }

        move(order, time.GetUtcNow());
        return Result.Success();
    }
}
