using Retail.Modules.Payments.Application.Abstractions;

namespace Retail.Modules.Payments.Infrastructure.Gateway;

/// <summary>
/// The external payment provider, as the card, PayPal and crypto methods see it. Idempotent per key: a repeated key
/// returns the first final answer and never moves money twice. Transient failures throw
/// <see cref="PaymentGatewayUnavailableException"/>; declines are answers.
/// </summary>
internal interface IPaymentGateway
{
    Task<GatewayResponse> ChargeAsync(GatewayCharge charge, CancellationToken cancellationToken);

    Task<GatewayResponse> RefundAsync(GatewayRefund refund, CancellationToken cancellationToken);
}

/// <param name="Instrument">What is charged: a card number, a PayPal email, a wallet address.</param>
internal sealed record GatewayCharge(string IdempotencyKey, string Method, decimal Amount, string Currency, string Instrument);

/// <param name="ChargeReference">The provider's reference of the charge being refunded.</param>
internal sealed record GatewayRefund(string IdempotencyKey, string ChargeReference, decimal Amount, string Currency);

internal sealed record GatewayResponse(bool Approved, string? Reference, string? DeclineReason)
{
    public PaymentMethodResult ToMethodResult() =>
        Approved ? PaymentMethodResult.Success(Reference ?? "") : PaymentMethodResult.Declined(DeclineReason ?? "declined");
}

/// <summary>The provider did not answer (outage, overload, dropped connection): transient, so the pipeline may retry.</summary>
internal sealed class PaymentGatewayUnavailableException(string message) : TransientPaymentException(message);
