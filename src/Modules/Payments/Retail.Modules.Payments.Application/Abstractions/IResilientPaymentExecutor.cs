namespace Retail.Modules.Payments.Application.Abstractions;

/// <summary>
/// Runs a payment method's charge or refund through the module's one resilience pipeline (timeouts, retries of transient
/// failures, circuit breaker) and reduces everything that can happen to three outcomes.
/// </summary>
public interface IResilientPaymentExecutor
{
    /// <summary>False while the breaker is open: background work stops early instead of failing item after item.</summary>
    bool IsAcceptingCalls { get; }

    Task<ProviderOutcome> ChargeAsync(IPaymentMethod method, PaymentMethodCharge charge, CancellationToken cancellationToken);

    Task<ProviderOutcome> RefundAsync(IPaymentMethod method, PaymentMethodRefund refund, CancellationToken cancellationToken);
}

public enum ProviderOutcomeKind
{
    Succeeded,
    Declined,

    /// <summary>Breaker open, retries exhausted or the overall time budget spent: nothing was decided.</summary>
    Unavailable,
}

public sealed record ProviderOutcome(ProviderOutcomeKind Kind, string? ProviderReference, string? Reason)
{
    public static ProviderOutcome Succeeded(string providerReference) => new(ProviderOutcomeKind.Succeeded, providerReference, null);

    public static ProviderOutcome Declined(string reason) => new(ProviderOutcomeKind.Declined, null, reason);

    public static ProviderOutcome Unavailable(string reason) => new(ProviderOutcomeKind.Unavailable, null, reason);
}
