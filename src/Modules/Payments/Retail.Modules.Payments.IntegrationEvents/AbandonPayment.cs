using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.Modules.Payments.IntegrationEvents;

/// <summary>
/// Tells Payments that the charge made under <see cref="IdempotencyKey"/> (a <see cref="ChargePayment"/> key) will never
/// be completed, because its order was cancelled at its payment deadline. A charge still waiting for the provider
/// becomes final (Abandoned): it stops counting as pending and a later repeat of the key charges nothing. A charge that
/// went through already is left as it is and answered <see cref="AbandonOutcome.AlreadySucceeded"/>, so the caller can
/// refund what was taken; a store-credit charge whose debit committed before its outcome was recorded counts as such.
/// Idempotent: sending it again answers the same. Send it outside any transaction of your own.
/// </summary>
public sealed record AbandonPayment(string IdempotencyKey, string Reason) : ICommand<AbandonPaymentResult>, IOwnsTransaction;

public enum AbandonOutcome
{
    /// <summary>No charge was ever made under the key.</summary>
    NotFound,

    /// <summary>The waiting charge is abandoned (now or earlier); nothing was taken.</summary>
    Abandoned,

    /// <summary>The provider had refused it; nothing was taken.</summary>
    Declined,

    /// <summary>The money was taken: refund <see cref="AbandonPaymentResult.PaymentId"/> if the order is not kept.</summary>
    AlreadySucceeded,
}

public sealed record AbandonPaymentResult(AbandonOutcome Outcome, Guid? PaymentId);
