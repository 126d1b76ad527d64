using Microsoft.Extensions.Caching.Hybrid;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.Application.Caching;

/// <summary>
/// Drops cached catalog reads once a product or its stock change has committed. Running off the event (not inside the
/// command) means the cache can never be refilled from data that is then rolled back. A stock change alone keeps what
/// depends only on the assortment (<see cref="CatalogModule.AssortmentCacheTag"/>).
/// </summary>
public sealed class InvalidateCatalogCacheHandler(HybridCache cache) :
    IIntegrationEventHandler<ProductUpserted>,
    IIntegrationEventHandler<StockChanged>,
    IIntegrationEventHandler<ProductBatchChanged>
{
    private static readonly string[] ProductTags = [CatalogModule.CacheTag, CatalogModule.AssortmentCacheTag];
    private static readonly string[] StockTags = [CatalogModule.CacheTag];

    public Task Handle(ProductUpserted integrationEvent, CancellationToken cancellationToken) =>
        cache.RemoveByTagAsync(ProductTags, cancellationToken).AsTask();

    public Task Handle(StockChanged integrationEvent, CancellationToken cancellationToken) =>
        cache.RemoveByTagAsync(StockTags, cancellationToken).AsTask();

    public Task Handle(ProductBatchChanged integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        return cache.RemoveByTagAsync(integrationEvent.Products.Count > 0 ? ProductTags : StockTags, cancellationToken).AsTask();
    }
}
