using Retail.BuildingBlocks.Contracts;

namespace Retail.Modules.Returns.IntegrationEvents;

/// <summary>A return moved from one stage to another (<paramref name="From"/> is null for the submission).</summary>
/// <param name="From">Upper-case stage code (SUBMITTED…COMPLETED, REJECTED, CANCELLED).</param>
/// <param name="Disposition">REFUND, REPLACEMENT, REPAIR, STORE_CREDIT or REJECT once decided; null before.</param>
[IntegrationEventName("returns.return-status-changed.v1")]
public sealed record ReturnStatusChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid ReturnId,
    string Code,
    Guid OrderId,
    string CustomerId,
    string? From,
    string To,
    string? Disposition) : IntegrationEvent(EventId, OccurredAt);

/// <summary>A return's refund went back to the customer's original payment method (all of it, once).</summary>
[IntegrationEventName("returns.refund-issued.v1")]
public sealed record ReturnRefundIssued(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid ReturnId,
    string Code,
    Guid OrderId,
    string CustomerId,
    decimal Amount,
    string Currency) : IntegrationEvent(EventId, OccurredAt);

public sealed record RestockLine(string Sku, int Quantity);

/// <summary>
/// Inspected units in a sellable grade go back to stock. Published once per return line; Catalog adds the stock once
/// per delivery (inbox).
/// </summary>
[IntegrationEventName("returns.restock-requested.v1")]
public sealed record ReturnRestockRequested(Guid EventId, DateTimeOffset OccurredAt, Guid ReturnId, string Code, IReadOnlyList<RestockLine> Lines)
    : IntegrationEvent(EventId, OccurredAt);

public sealed record ReplacementLine(string Sku, string Name, int Quantity);

/// <summary>
/// Lines decided as REPLACEMENT: Ordering creates one zero-price order for them (stock reserved) and answers with
/// <c>ordering.replacement-order-created.v1</c>. Created once per return even if this event arrives twice.
/// </summary>
[IntegrationEventName("returns.replacement-requested.v1")]
public sealed record ReplacementRequested(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid ReturnId,
    string Code,
    Guid OriginalOrderId,
    Guid ReplacementOrderId,
    string CustomerId,
    string? CustomerEmail,
    IReadOnlyList<ReplacementLine> Lines) : IntegrationEvent(EventId, OccurredAt);
