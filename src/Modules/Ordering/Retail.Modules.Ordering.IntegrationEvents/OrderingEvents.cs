using Retail.BuildingBlocks.Contracts;

namespace Retail.Modules.Ordering.IntegrationEvents;

/// <summary>One line of an order as other modules see it: prices are the ones locked when the stock was reserved.</summary>
public sealed record OrderLineInfo(string Sku, string Name, decimal UnitPrice, int Quantity);

/// <summary>An order was accepted: its stock is held and its payment is under way (status PaymentPending).</summary>
[IntegrationEventName("ordering.order-placed.v1")]
public sealed record OrderPlaced(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid OrderId,
    string OrderNumber,
    string CustomerId,
    decimal Total,
    string Currency,
    IReadOnlyList<OrderLineInfo> Lines) : IntegrationEvent(EventId, OccurredAt);

/// <summary>The whole order total was paid (store credit and/or the chosen method).</summary>
[IntegrationEventName("ordering.order-paid.v1")]
public sealed record OrderPaid(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid OrderId,
    string OrderNumber,
    string CustomerId,
    decimal Total,
    string Currency,
    string PaymentMethod,
    IReadOnlyList<OrderLineInfo> Lines) : IntegrationEvent(EventId, OccurredAt);

/// <summary>The order ended unpaid (declined, or not paid by its deadline); its stock was released.</summary>
[IntegrationEventName("ordering.order-cancelled.v1")]
public sealed record OrderCancelled(Guid EventId, DateTimeOffset OccurredAt, Guid OrderId, string OrderNumber, string CustomerId, string Reason)
    : IntegrationEvent(EventId, OccurredAt);

[IntegrationEventName("ordering.order-shipped.v1")]
public sealed record OrderShipped(Guid EventId, DateTimeOffset OccurredAt, Guid OrderId, string OrderNumber, string CustomerId)
    : IntegrationEvent(EventId, OccurredAt);

/// <summary>The customer has the goods; the return window starts here.</summary>
[IntegrationEventName("ordering.order-delivered.v1")]
public sealed record OrderDelivered(Guid EventId, DateTimeOffset OccurredAt, Guid OrderId, string OrderNumber, string CustomerId)
    : IntegrationEvent(EventId, OccurredAt);

/// <summary>
/// A zero-price replacement order was created for a return's REPLACEMENT lines (stock reserved), answering
/// <c>returns.replacement-requested.v1</c>. Published once per return.
/// </summary>
[IntegrationEventName("ordering.replacement-order-created.v1")]
public sealed record ReplacementOrderCreated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid OrderId,
    string OrderNumber,
    Guid ReturnId,
    string ReturnCode,
    string CustomerId) : IntegrationEvent(EventId, OccurredAt);
