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

/// <summary>
/// Many products created or changed in one Catalog transaction (a batch of a partner feed, or the deactivations of a full
/// feed): one event per batch instead of one <see cref="ProductUpserted"/> per product and one <see cref="StockChanged"/>
/// per stock change, so a 1,000,000-row feed sends about 2,000 events rather than millions. Subscribers treat every entry
/// exactly as they treat the single events.
/// </summary>
[IntegrationEventName("catalog.product-batch-changed.v1")]
public sealed record ProductBatchChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    IReadOnlyList<ProductSnapshot> Products,
    IReadOnlyList<ProductStockChange> StockChanges) : IntegrationEvent(EventId, OccurredAt);

/// <summary>A product as it is after the change (the same fields as <see cref="ProductUpserted"/>).</summary>
public sealed record ProductSnapshot(Guid ProductId, string Sku, string Name, string CategorySlug, decimal Price, int Stock, bool IsActive);

/// <summary>One stock change (the same fields as <see cref="StockChanged"/>).</summary>
public sealed record ProductStockChange(Guid ProductId, string Sku, int Delta, int StockAfter, string Reason);
