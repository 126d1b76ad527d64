using Retail.BuildingBlocks.Domain;
using Retail.Modules.Payments.Domain.StoreCredit;

namespace Retail.Modules.Payments.UnitTests;

public sealed class StoreCreditTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_debit_is_stored_as_a_negative_ledger_line()
    {
        var entry = StoreCreditEntry.Debit("c1", 10m, 90m, "Payment", "order 1", "charge:k1", Now);

        entry.Amount.ShouldBe(-10m);
        entry.BalanceAfter.ShouldBe(90m);
        entry.IdempotencyKey.ShouldBe("charge:k1");
    }

    [Fact]
    public void Store_credit_never_goes_negative()
    {
        StoreCreditAccount.CanDebit(10m, 10m).ShouldBeTrue();
        StoreCreditAccount.CanDebit(9.99m, 10m).ShouldBeFalse();
        StoreCreditAccount.CanDebit(10m, 0m).ShouldBeFalse();
        Should.Throw<BusinessRuleValidationException>(() => StoreCreditEntry.Debit("c1", 10m, -0.01m, "Payment", "o", "k", Now))
            .RuleName.ShouldBe(nameof(StoreCreditBalanceCannotGoNegativeRule));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(0.001)]
    public void Credit_amounts_are_positive(double amount) =>
        Should.Throw<BusinessRuleValidationException>(() => StoreCreditEntry.Credit("c1", (decimal)amount, 1m, "r", "ref", "k", Now))
            .RuleName.ShouldBe(nameof(StoreCreditAmountMustBePositiveRule));

    [Fact]
    public void An_account_belongs_to_a_customer()
    {
        StoreCreditAccount.Open("c1", Now).Balance.ShouldBe(0m);
        Should.Throw<BusinessRuleValidationException>(() => StoreCreditAccount.Open("", Now)).RuleName.ShouldBe(nameof(CustomerIdMustBePresentRule));
    }
}
