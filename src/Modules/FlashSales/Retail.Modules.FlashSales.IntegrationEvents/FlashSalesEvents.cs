using Retail.BuildingBlocks.Contracts;

namespace Retail.Modules.FlashSales.IntegrationEvents;

/// <summary>An admin created, edited or ended a sale: cached listings on every instance are dropped.</summary>
[IntegrationEventName("flashsales.sale-changed.v1")]
public sealed record FlashSaleChanged(Guid EventId, DateTimeOffset OccurredAt, Guid SaleId) : IntegrationEvent(EventId, OccurredAt);

/// <summary>An order claimed flash units (stock reservation follows; a cancelled order releases them again).</summary>
[IntegrationEventName("flashsales.units-claimed.v1")]
public sealed record FlashUnitsClaimed(Guid EventId, DateTimeOffset OccurredAt, Guid SaleId, Guid OrderId, string Sku, int Quantity, decimal UnitPrice)
    : IntegrationEvent(EventId, OccurredAt);
