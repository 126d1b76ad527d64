using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Ordering.IntegrationEvents;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Domain.Purchases;

namespace Retail.Modules.Returns.Application.Purchases;

/// <summary>
/// Keeps Returns' copy of purchased lines (OrderPaid) and delivery times (OrderDelivered, where the return window starts).
/// Runs once per event thanks to the inbox; tolerates the two arriving in either order.
/// </summary>
public sealed class RecordPurchasesHandler(IReturnsDbContext db) :
    IIntegrationEventHandler<OrderPaid>,
    IIntegrationEventHandler<OrderDelivered>
{
    public async Task Handle(OrderPaid integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var e = integrationEvent;
        var lines = e.Lines.Select(l => (l.Sku, l.Name, l.UnitPrice, l.Quantity));
        var order = await db.PurchasedOrders.Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == e.OrderId, cancellationToken);
        if (order is null)
        {
            db.PurchasedOrders.Add(PurchasedOrder.Paid(e.OrderId, e.OrderNumber, e.CustomerId, e.Currency, e.Total, lines, e.OccurredAt));
        }
        else
        {
            var hadLines = order.Lines.Count > 0;
            order.RecordPaid(e.OrderNumber, e.CustomerId, e.Currency, e.Total, lines, e.OccurredAt);
            if (!hadLines)
            {
                foreach (var line in order.Lines)
                {
                    db.PurchasedLines.Add(line);
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task Handle(OrderDelivered integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var e = integrationEvent;
        var order = await db.PurchasedOrders.SingleOrDefaultAsync(o => o.Id == e.OrderId, cancellationToken);
        if (order is null)
        {
            db.PurchasedOrders.Add(PurchasedOrder.DeliveredFirst(e.OrderId, e.OrderNumber, e.CustomerId, e.OccurredAt));
        }
        else
        {
            order.RecordDelivered(e.OccurredAt);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
