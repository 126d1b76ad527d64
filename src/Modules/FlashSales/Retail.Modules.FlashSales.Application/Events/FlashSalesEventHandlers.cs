using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.FlashSales.Application.Abstractions;
using Retail.Modules.FlashSales.Application.Checkout;
using Retail.Modules.FlashSales.IntegrationEvents;
using Retail.Modules.Ordering.IntegrationEvents;

namespace Retail.Modules.FlashSales.Application.Events;

/// <summary>
/// Follows orders that claimed flash units: paid → the units are sold for good; cancelled (declined or never paid) → the
/// units go back to the allocation and the customer's cap. Runs in the subscriber transaction with the inbox row.
/// </summary>
public sealed class FlashClaimLifecycleHandler(IFlashSalesDbContext db, FlashCheckoutMemo memo, TimeProvider time) :
    IIntegrationEventHandler<OrderPaid>,
    IIntegrationEventHandler<OrderCancelled>
{
    public async Task Handle(OrderPaid integrationEvent, CancellationToken cancellationToken)
    {
        var claims = await db.Claims.Where(c => c.OrderId == integrationEvent.OrderId && c.PaidAt == null && c.ReleasedAt == null).ToListAsync(cancellationToken);
        foreach (var claim in claims)
        {
            claim.MarkPaid(integrationEvent.OccurredAt);
        }
    }

    public Task Handle(OrderCancelled integrationEvent, CancellationToken cancellationToken) =>
        ReleaseFlashAllocationHandler.ReleaseAsync(db, memo, integrationEvent.OrderId, time.GetUtcNow(), cancellationToken);
}

/// <summary>Keeps the product name and regular price of sales not yet over in step with Catalog.</summary>
public sealed class FlashProductSnapshotHandler(IFlashSalesDbContext db, TimeProvider time) :
    IIntegrationEventHandler<ProductUpserted>,
    IIntegrationEventHandler<ProductBatchChanged>
{
    public Task Handle(ProductUpserted integrationEvent, CancellationToken cancellationToken) =>
        UpdateAsync(integrationEvent.Sku, integrationEvent.Name, integrationEvent.Price, cancellationToken);

    /// <summary>A partner feed batch: one query finds the few SKUs (usually none) that are in a sale not yet over.</summary>
    public async Task Handle(ProductBatchChanged integrationEvent, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var skus = integrationEvent.Products.Select(p => p.Sku).Distinct(StringComparer.Ordinal).ToList();
        var saleIds = db.Sales.Where(s => s.EndsAt > now).Select(s => s.Id);
        var onSale = await db.Items.Where(i => skus.Contains(i.Sku) && saleIds.Contains(i.SaleId)).Select(i => i.Sku).Distinct().ToListAsync(cancellationToken);
        foreach (var product in integrationEvent.Products.Where(p => onSale.Contains(p.Sku)))
        {
            await UpdateAsync(product.Sku, product.Name, product.Price, cancellationToken);
        }
    }

    private async Task UpdateAsync(string sku, string name, decimal price, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var saleIds = db.Sales.Where(s => s.EndsAt > now).Select(s => s.Id);
        await db.Items
            .Where(i => i.Sku == sku && saleIds.Contains(i.SaleId))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ProductName, name).SetProperty(i => i.RegularPrice, price), cancellationToken);
    }
}

/// <summary>Drops the cached listing when a sale changed (the admin's own instance already did; this reaches the shared L2).</summary>
public sealed class InvalidateFlashListingHandler(HybridCache cache) : IIntegrationEventHandler<FlashSaleChanged>
{
    public Task Handle(FlashSaleChanged integrationEvent, CancellationToken cancellationToken) =>
        cache.RemoveByTagAsync(FlashSalesModule.CacheTag, cancellationToken).AsTask();
}
