using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.Modules.Payments.IntegrationEvents;

/// <summary>
/// Refunds (part of) a succeeded payment through its original method and the same pipeline. Idempotent by key. When the
/// provider is down the refund is kept as Pending and a background job completes it; more than what is left to refund
/// is refused (422).
/// </summary>
public sealed record RefundPayment(Guid PaymentId, decimal Amount, string IdempotencyKey, string Reason) : ICommand<RefundResult>, IOwnsTransaction;

/// <summary>Codes of <see cref="RefundPayment"/> refusals that callers act on.</summary>
public static class RefundErrorCodes
{
    /// <summary>The amount is more than what is left to refund on the payment (nothing was reserved).</summary>
    public const string ExceedsPaid = "payments.refund_exceeds_paid";
}

public enum RefundOutcome
{
    Succeeded,

    /// <summary>Accepted and kept; the provider is unavailable, so the refund sweep completes it later.</summary>
    Pending,
}

public sealed record RefundResult(Guid RefundId, Guid PaymentId, decimal Amount, RefundOutcome Outcome, string Message);

/// <summary>
/// The succeeded payments of an order (card/PayPal/crypto and store credit parts), with what is left to refund on each,
/// oldest first. Used by Returns to refund to the original method. The caller decides who may see which order.
/// </summary>
public sealed record GetPaymentsForOrder(Guid OrderId) : IQuery<IReadOnlyList<OrderPaymentDto>>;

public sealed record OrderPaymentDto(Guid PaymentId, string Method, decimal Amount, decimal RefundedAmount, decimal RefundableAmount, string Currency);
