using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Payments.Domain.StoreCredit;

/// <summary>
/// A customer's store-credit balance. The balance is deliberately not changed here: every change is one conditional
/// UPDATE in the database (debits only where the balance covers them) plus a ledger entry in the same transaction, so
/// parallel checkouts can never spend the same credit twice or drive it negative.
/// </summary>
public sealed class StoreCreditAccount : Entity<Guid>
{
    public const int MaxCustomerIdLength = 100;

    private StoreCreditAccount()
    {
    }

    public string CustomerId { get; private set; } = "";

    public decimal Balance { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static StoreCreditAccount Open(string customerId, DateTimeOffset now)
    {
        CheckRule(new CustomerIdMustBePresentRule(customerId));
        return new StoreCreditAccount { Id = Guid.NewGuid(), CustomerId = customerId, Balance = 0m, CreatedAt = now };
    }

    /// <summary>The rule the conditional debit enforces in SQL, stated once in the domain.</summary>
    public static bool CanDebit(decimal balance, decimal amount) => amount > 0m && balance >= amount;
}

public sealed class CustomerIdMustBePresentRule(string customerId) : IBusinessRule
{
    public bool IsBroken() => string.IsNullOrWhiteSpace(customerId) || customerId.Length > StoreCreditAccount.MaxCustomerIdLength;

    public string Message => "A store-credit account belongs to a customer.";
}

/// <param name="max">
/// <see cref="MaxAmount"/> is the limit of one issue; a ledger line for spending or refunding credit moves one payment's
/// worth, which a balance built from several issues can exceed, so those lines pass the payment limit instead.
/// </param>
public sealed class StoreCreditAmountMustBePositiveRule(decimal amount, decimal max = StoreCreditAmountMustBePositiveRule.MaxAmount) : IBusinessRule
{
    public const decimal MaxAmount = 100_000m;

    public bool IsBroken() => amount <= 0m || amount > max || decimal.Round(amount, 2) != amount;

    public string Message => $"A store-credit amount is positive, at most {max:N0}, with at most two decimals.";
}
