using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.Modules.Payments.IntegrationEvents;

/// <summary>
/// Charges an order through the resilient payment pipeline. Idempotent by <see cref="IdempotencyKey"/>: a repeat
/// returns the first final outcome and never charges twice; a repeat of a pending payment tries the provider again.
/// Send it outside any transaction of your own: the handler commits its own short transactions around the provider
/// call (ADR 0004), so no lock is held while the provider answers.
/// </summary>
/// <param name="Details">Method-specific fields, as listed by <see cref="GetPaymentMethods"/> (e.g. cardNumber).</param>
public sealed record ChargePayment(
    Guid OrderId,
    string CustomerId,
    decimal Amount,
    string Currency,
    string Method,
    string IdempotencyKey,
    IReadOnlyDictionary<string, string>? Details) : ICommand<PaymentResult>, IOwnsTransaction;

public enum PaymentOutcome
{
    Succeeded,

    /// <summary>Final: the provider refused it (card declined, insufficient store credit). Offer another method.</summary>
    Declined,

    /// <summary>
    /// Not decided: the breaker is open or transient failures outlasted the retries. Accept the order as payment-pending
    /// and send the same command again later with the SAME idempotency key.
    /// </summary>
    Unavailable,
}

/// <param name="Message">Text fit for the customer (SPEC U1 wording for declines and outages).</param>
public sealed record PaymentResult(Guid PaymentId, PaymentOutcome Outcome, string? ProviderReference, string Message);
