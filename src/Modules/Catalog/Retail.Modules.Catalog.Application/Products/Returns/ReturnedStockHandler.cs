using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Catalog.Application.Products.Returns;

/// <summary>
/// Stock from returns. Inspected units in a sellable grade go back on the shelf (one conditional increment per line, a
/// stock movement and StockChanged); a replacement order gets its stock reserved like a checkout (all or nothing).
/// Once per event through the inbox; Returns publishes each line's restock once.
/// </summary>
public sealed class ReturnedStockHandler(ICatalogDbContext db, IRequestSender sender, TimeProvider time, ILogger<ReturnedStockHandler> logger) :
    IIntegrationEventHandler<ReturnRestockRequested>,
    IIntegrationEventHandler<ReplacementRequested>
{
    public async Task Handle(ReturnRestockRequested integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var now = time.GetUtcNow();
        var reason = $"return {integrationEvent.Code} restocked";
        foreach (var line in integrationEvent.Lines.Where(l => l.Quantity > 0))
        {
            var sku = line.Sku.Trim().ToUpperInvariant();
            var quantity = line.Quantity;
            var updated = await db.Products.Where(p => p.Sku == sku)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock + quantity), cancellationToken);
            if (updated == 0)
            {
                logger.LogWarning("Return {ReturnCode}: SKU {Sku} no longer exists; {Quantity} units not restocked", integrationEvent.Code, sku, quantity);
                continue;
            }

            var product = await db.Products.AsNoTracking().Where(p => p.Sku == sku).Select(p => new { p.Id, p.Stock }).SingleAsync(cancellationToken);
            db.StockMovements.Add(StockMovement.Record(product.Id, sku, quantity, product.Stock, reason, "returns", now));
            db.Publish(new StockChanged(Guid.NewGuid(), now, product.Id, sku, quantity, product.Stock, reason));
        }
    }

    public async Task Handle(ReplacementRequested integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var reserved = await sender.Send(
            new IntegrationEvents.ReserveStock(integrationEvent.ReplacementOrderId, [.. integrationEvent.Lines.Select(l => new StockLine(l.Sku, l.Quantity))]),
            cancellationToken);
        if (!reserved.IsSuccess)
        {
            // Throwing rolls back any line already held in this delivery (all or nothing) and lets the outbox retry with
            // backoff, so the hold succeeds once stock is back; after the last attempt operators see it dead-lettered.
            logger.LogWarning("Return {ReturnCode}: stock for replacement order {OrderId} could not be reserved: {Error}",
                integrationEvent.Code, integrationEvent.ReplacementOrderId, reserved.Error.Message);
            throw new InvalidOperationException($"Stock for the replacement of return {integrationEvent.Code} could not be reserved: {reserved.Error.Message}");
        }
    }
}
