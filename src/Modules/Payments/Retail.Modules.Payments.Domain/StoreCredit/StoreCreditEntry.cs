using Retail.BuildingBlocks.Domain;
using Retail.Modules.Payments.Domain.Payments;

namespace Retail.Modules.Payments.Domain.StoreCredit;

/// <summary>
/// Append-only ledger line of a store-credit account: + for credit issued or refunded, − for credit spent. Its
/// idempotency key is unique, so a retried debit or credit is recorded (and applied) once.
/// </summary>
public sealed class StoreCreditEntry : Entity<Guid>
{
    public const int MaxReasonLength = 200;
    public const int MaxReferenceLength = 100;
    public const int MaxKeyLength = 150;

    private StoreCreditEntry()
    {
    }

    public string CustomerId { get; private set; } = "";

    /// <summary>Positive for a credit, negative for a debit.</summary>
    public decimal Amount { get; private set; }

    public decimal BalanceAfter { get; private set; }

    public string Reason { get; private set; } = "";

    /// <summary>What the line is about (an order, a return, a payment id).</summary>
    public string Reference { get; private set; } = "";

    public string IdempotencyKey { get; private set; } = "";

    public DateTimeOffset OccurredAt { get; private set; }

    public static StoreCreditEntry Credit(string customerId, decimal amount, decimal balanceAfter, string reason, string reference, string idempotencyKey, DateTimeOffset now)
    {
        CheckRule(new StoreCreditAmountMustBePositiveRule(amount, PaymentAmountMustBePositiveRule.MaxAmount));
        return Create(customerId, amount, balanceAfter, reason, reference, idempotencyKey, now);
    }

    public static StoreCreditEntry Debit(string customerId, decimal amount, decimal balanceAfter, string reason, string reference, string idempotencyKey, DateTimeOffset now)
    {
        CheckRule(new StoreCreditAmountMustBePositiveRule(amount, PaymentAmountMustBePositiveRule.MaxAmount));
        CheckRule(new StoreCreditBalanceCannotGoNegativeRule(balanceAfter));
        return Create(customerId, -amount, balanceAfter, reason, reference, idempotencyKey, now);
    }

    private static StoreCreditEntry Create(string customerId, decimal signedAmount, decimal balanceAfter, string reason, string reference, string idempotencyKey, DateTimeOffset now)
    {
        CheckRule(new CustomerIdMustBePresentRule(customerId));
        CheckRule(new StoreCreditKeyMustBePresentRule(idempotencyKey));
        return new StoreCreditEntry
        {
            Id = Guid.NewGuid(),
            CustomerId = customerId,
            Amount = signedAmount,
            BalanceAfter = balanceAfter,
            Reason = Clip(reason, MaxReasonLength),
            Reference = Clip(reference, MaxReferenceLength),
            IdempotencyKey = idempotencyKey,
            OccurredAt = now,
        };
    }

    private static string Clip(string? text, int max)
    {
        var value = (text ?? "").Trim();
        return value.Length <= max ? value : value[..max];
    }
}

public sealed class StoreCreditBalanceCannotGoNegativeRule(decimal balanceAfter) : IBusinessRule
{
    public bool IsBroken() => balanceAfter < 0m;

    public string Message => "Store credit cannot go below zero.";
}

public sealed class StoreCreditKeyMustBePresentRule(string key) : IBusinessRule
{
    public bool IsBroken() => string.IsNullOrWhiteSpace(key) || key.Length > StoreCreditEntry.MaxKeyLength;

    public string Message => $"A store-credit entry needs an idempotency key of at most {StoreCreditEntry.MaxKeyLength} characters.";
}
