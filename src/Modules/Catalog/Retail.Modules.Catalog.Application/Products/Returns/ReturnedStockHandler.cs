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
/// Once per event through the inbox; Returns publishes each line's restock once. A line that would take the stock past
/// <see cref="StockAdjustmentRules.MaxStock"/> fills it to there and the rest is logged (why: <see cref="StockPutBack"/>):
/// the event completes and the return's other lines are restocked.
/// </summary>
public sealed partial class ReturnedStockHandler(ICatalogDbContext db, IRequestSender sender, TimeProvider time, ILogger<ReturnedStockHandler> logger) :
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
            if (await StockPutBack.AddUpToCeilingAsync(db, sku, quantity, cancellationToken) is not { } put)
            {
                logger.LogWarning("Return {ReturnCode}: SKU {Sku} no longer exists; {Quantity} units not restocked", integrationEvent.Code, sku, quantity);
                continue;
            }

            if (put.Added < quantity)
            {
                LogRestockCapped(logger, integrationEvent.Code, sku, quantity - put.Added, StockAdjustmentRules.MaxStock);
            }

            if (put.Added == 0)
            {
                continue;
            }

            db.StockMovements.Add(StockMovement.Record(put.ProductId, sku, put.Added, put.StockAfter, reason, "returns", now));
            db.Publish(new StockChanged(Guid.NewGuid(), now, put.ProductId, sku, put.Added, put.StockAfter, reason));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Return {ReturnCode}: {Dropped} units of SKU {Sku} not restocked, its stock is at the most it can hold ({MaxStock})")]
    private static partial void LogRestockCapped(ILogger logger, string returnCode, string sku, int dropped, int maxStock);

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
