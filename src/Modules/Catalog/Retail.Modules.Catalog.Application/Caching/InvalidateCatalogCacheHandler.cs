using Microsoft.Extensions.Caching.Hybrid;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.Application.Caching;

/// <summary>
/// Drops cached catalog reads once a product or its stock change has committed. Running off the event (not inside the
/// command) means the cache can never be refilled from data that is then rolled back.
/// </summary>
public sealed class InvalidateCatalogCacheHandler(HybridCache cache) :
    IIntegrationEventHandler<ProductUpserted>,
    IIntegrationEventHandler<StockChanged>,
    IIntegrationEventHandler<ProductBatchChanged>
{
    public Task Handle(ProductUpserted integrationEvent, CancellationToken cancellationToken) =>
        cache.RemoveByTagAsync(CatalogModule.CacheTag, cancellationToken).AsTask();

    public Task Handle(StockChanged integrationEvent, CancellationToken cancellationToken) =>
        cache.RemoveByTagAsync(CatalogModule.CacheTag, cancellationToken).AsTask();

    public Task Handle(ProductBatchChanged integrationEvent, CancellationToken cancellationToken) =>
        cache.RemoveByTagAsync(CatalogModule.CacheTag, cancellationToken).AsTask();
}
