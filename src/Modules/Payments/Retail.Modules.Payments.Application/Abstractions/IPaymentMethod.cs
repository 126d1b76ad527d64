using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.Application.Abstractions;

/// <summary>
/// One way to pay (card, PayPal, crypto, store credit, ...): a strategy. Every method is called through the same
/// resilience pipeline, so retry and breaker apply to all alike. A new method is one class implementing this plus
/// <c>services.AddPaymentMethod&lt;T&gt;()</c> (SPEC M2); nothing else changes.
/// </summary>
public interface IPaymentMethod
{
    /// <summary>Stable code sent by checkout, e.g. <c>card</c>.</summary>
    string Code { get; }

    string DisplayName { get; }

    /// <summary>What the customer must enter; keys of <see cref="PaymentMethodCharge.Details"/>.</summary>
    IReadOnlyList<PaymentDetailField> DetailFields { get; }

    /// <summary>Field name → messages for details that can never succeed (bad card number, malformed email); empty when fine.</summary>
    IReadOnlyDictionary<string, string[]> ValidateDetails(IReadOnlyDictionary<string, string> details);

    /// <summary>
    /// Charges once. A decline is a result; a transient failure (provider down, timeout) throws
    /// <see cref="TransientPaymentException"/> so the pipeline retries it. Must be idempotent per
    /// <see cref="PaymentMethodCharge.IdempotencyKey"/>: a repeat never charges twice.
    /// </summary>
    Task<PaymentMethodResult> ChargeAsync(PaymentMethodCharge charge, CancellationToken cancellationToken);

    /// <summary>Pays back once per <see cref="PaymentMethodRefund.IdempotencyKey"/>; transient failures throw like charges.</summary>
    Task<PaymentMethodResult> RefundAsync(PaymentMethodRefund refund, CancellationToken cancellationToken);
}

/// <param name="Details">Method-specific fields, keys compared case-insensitively.</param>
public sealed record PaymentMethodCharge(
    Guid PaymentId, Guid OrderId, string CustomerId, decimal Amount, string Currency, string IdempotencyKey, IReadOnlyDictionary<string, string> Details);

/// <param name="ProviderReference">The provider's id of the original charge (what a card refund points at).</param>
public sealed record PaymentMethodRefund(
    Guid RefundId, Guid PaymentId, string CustomerId, decimal Amount, string Currency, string? ProviderReference, string IdempotencyKey, string Reason);

/// <summary>A final answer from a payment method: done (with the provider's reference) or declined (with why).</summary>
public sealed record PaymentMethodResult(bool Succeeded, string? ProviderReference, string? DeclineReason)
{
    public static PaymentMethodResult Success(string providerReference) => new(true, providerReference, null);

    public static PaymentMethodResult Declined(string reason) => new(false, null, reason);
}

/// <summary>The provider could not answer this time (down, overloaded, timed out): worth retrying, unlike a decline.</summary>
public class TransientPaymentException : Exception
{
    public TransientPaymentException()
    {
    }

    public TransientPaymentException(string message)
        : base(message)
    {
    }

    public TransientPaymentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
