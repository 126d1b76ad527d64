using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Payments.Domain.Payments;

public sealed class PaymentAmountMustBePositiveRule(decimal amount) : IBusinessRule
{
    public const decimal MaxAmount = 1_000_000m;

    public bool IsBroken() => amount <= 0m || amount > MaxAmount || decimal.Round(amount, 2) != amount;

    public string Message => $"A payment amount is positive, at most {MaxAmount:N0}, with at most two decimals.";
}

public sealed class CurrencyMustBeIsoCodeRule(string currency) : IBusinessRule
{
    public bool IsBroken() => !IsIsoCode(currency);

    public string Message => "A currency is a three-letter ISO 4217 code such as EUR.";

    public static bool IsIsoCode(string? currency) => currency is { Length: 3 } && currency.All(char.IsAsciiLetter);
}

public sealed class IdempotencyKeyMustBePresentRule(string key) : IBusinessRule
{
    public bool IsBroken() => string.IsNullOrWhiteSpace(key) || key.Length > Payment.MaxIdempotencyKeyLength;

    public string Message => $"An idempotency key is required (at most {Payment.MaxIdempotencyKeyLength} characters).";
}

public sealed class OnlyPendingPaymentsCanBeDecidedRule(PaymentStatus status) : IBusinessRule
{
    public bool IsBroken() => status != PaymentStatus.Pending;

    public string Message => $"A {status.ToString().ToLowerInvariant()} payment is final and cannot change its outcome.";
}

public sealed class OnlySucceededPaymentsCanBeRefundedRule(PaymentStatus status) : IBusinessRule
{
    public bool IsBroken() => status != PaymentStatus.Succeeded;

    public string Message => "Only a completed payment can be refunded.";
}

public sealed class RefundAmountMustBePositiveRule(decimal amount) : IBusinessRule
{
    public bool IsBroken() => amount <= 0m || decimal.Round(amount, 2) != amount;

    public string Message => "A refund amount is positive with at most two decimals.";
}

public sealed class RefundTotalCannotExceedPaidRule(decimal paid, decimal alreadyRefunded, decimal requested) : IBusinessRule
{
    public bool IsBroken() => alreadyRefunded + requested > paid;

    public string Message => $"Refunds cannot exceed the amount paid: {paid - alreadyRefunded:0.00} is left to refund.";
}
