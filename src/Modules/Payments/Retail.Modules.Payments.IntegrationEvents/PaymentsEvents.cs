using Retail.BuildingBlocks.Contracts;

namespace Retail.Modules.Payments.IntegrationEvents;

/// <summary>The provider took the money for an order.</summary>
[IntegrationEventName("payments.payment-succeeded.v1")]
public sealed record PaymentSucceeded(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid PaymentId,
    Guid OrderId,
    string CustomerId,
    decimal Amount,
    string Currency,
    string Method,
    string ProviderReference) : IntegrationEvent(EventId, OccurredAt);

/// <summary>The provider declined the payment for good (not an outage: those leave the payment pending).</summary>
[IntegrationEventName("payments.payment-failed.v1")]
public sealed record PaymentFailed(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid PaymentId,
    Guid OrderId,
    string CustomerId,
    decimal Amount,
    string Currency,
    string Method,
    string Reason) : IntegrationEvent(EventId, OccurredAt);

/// <summary>Money went back to the customer through the payment's original method.</summary>
[IntegrationEventName("payments.refund-issued.v1")]
public sealed record RefundIssued(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid RefundId,
    Guid PaymentId,
    Guid OrderId,
    string CustomerId,
    decimal Amount,
    string Currency,
    string Reason) : IntegrationEvent(EventId, OccurredAt);

/// <summary>Store credit was added to a customer's balance (a return's STORE_CREDIT disposition, a goodwill gesture).</summary>
[IntegrationEventName("payments.store-credit-issued.v1")]
public sealed record StoreCreditIssued(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string CustomerId,
    decimal Amount,
    decimal BalanceAfter,
    string Reason,
    string Reference) : IntegrationEvent(EventId, OccurredAt);
