using Retail.BuildingBlocks.Contracts;

namespace Retail.Modules.Catalog.IntegrationEvents;

/// <summary>A product was created or its details changed. Carries everything a module needs to keep its own copy.</summary>
[IntegrationEventName("catalog.product-upserted.v1")]
public sealed record ProductUpserted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid ProductId,
    string Sku,
    string Name,
    string CategorySlug,
    decimal Price,
    int Stock,
    bool IsActive) : IntegrationEvent(EventId, OccurredAt);

/// <summary>The stock of a product changed by <see cref="Delta"/> to <see cref="StockAfter"/>.</summary>
[IntegrationEventName("catalog.stock-changed.v1")]
public sealed record StockChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid ProductId,
    string Sku,
    int Delta,
    int StockAfter,
    string Reason) : IntegrationEvent(EventId, OccurredAt);
