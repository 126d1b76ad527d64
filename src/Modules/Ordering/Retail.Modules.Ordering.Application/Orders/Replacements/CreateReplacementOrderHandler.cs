using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Ordering.Domain.Orders;
using Retail.Modules.Ordering.IntegrationEvents;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Ordering.Application.Orders.Replacements;

/// <summary>
/// Returns decided REPLACEMENT: creates one zero-price order (id given by Returns, shipped to the original order's
/// address) and answers with <see cref="ReplacementOrderCreated"/>. The inbox makes a repeated delivery a no-op, and the
/// order id is fixed by the event, so even a second event for the same return cannot create a second order.
/// Catalog reserves the stock for the same order id from the same event.
/// </summary>
public sealed class CreateReplacementOrderHandler(IOrderingDbContext db, IOptions<OrderingOptions> options, TimeProvider time, ILogger<CreateReplacementOrderHandler> logger)
    : IIntegrationEventHandler<ReplacementRequested>
{
    public async Task Handle(ReplacementRequested integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var e = integrationEvent;
        var orderId = e.ReplacementOrderId;
        var existing = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => o.Number).SingleOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return;
        }

        var originalId = e.OriginalOrderId;
        var original = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == originalId, cancellationToken)
            ?? throw new InvalidOperationException($"Replacement for return {e.Code}: original order {originalId} not found.");
        var now = time.GetUtcNow();
        var number = string.Create(CultureInfo.InvariantCulture, $"X{now:yyMMdd}-{orderId.ToString("N")[..8].ToUpperInvariant()}");
        var order = Order.CreateReplacement(
            orderId,
            number,
            e.CustomerId,
            e.CustomerEmail ?? original.CustomerEmail,
            [.. e.Lines.Select(l => (l.Sku, l.Name, l.Quantity))],
            original.ShippingAddress,
            $"replacement-{e.ReturnId:N}",
            string.IsNullOrEmpty(original.Currency) ? options.Value.Currency : original.Currency,
            now);
        db.Orders.Add(order);
        db.Publish(new ReplacementOrderCreated(Guid.NewGuid(), now, order.Id, number, e.ReturnId, e.Code, e.CustomerId));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Replacement order {OrderNumber} created for return {ReturnCode}", number, e.Code);
    }
}
