using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.Modules.Payments.IntegrationEvents;

/// <summary>
/// Refunds (part of) a succeeded payment through its original method and the same pipeline. Idempotent by key. When the
/// provider is down the refund is kept as Pending and a background job completes it; more than what is left to refund
/// is refused (422).
/// </summary>
public sealed record RefundPayment(Guid PaymentId, decimal Amount, string IdempotencyKey, string Reason) : ICommand<RefundResult>, IOwnsTransaction;

public enum RefundOutcome
{
    Succeeded,

    /// <summary>Accepted and kept; the provider is unavailable, so the refund sweep completes it later.</summary>
    Pending,
}

public sealed record RefundResult(Guid RefundId, Guid PaymentId, decimal Amount, RefundOutcome Outcome, string Message);
