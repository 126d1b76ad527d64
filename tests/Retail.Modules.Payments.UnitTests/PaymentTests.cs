using Retail.BuildingBlocks.Domain;
using Retail.Modules.Payments.Domain.Payments;

namespace Retail.Modules.Payments.UnitTests;

public sealed class PaymentTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    internal static PaymentRequestDetails Request(decimal amount = 50m, string currency = "eur", string key = "key-1") =>
        new(Guid.NewGuid(), "customer-1", amount, currency, "card", key);

    internal static Payment Paid(decimal amount = 50m)
    {
        var payment = Payment.Start(Request(amount), Now);
        payment.MarkSucceeded("ref-1", Now);
        return payment;
    }

    [Fact]
    public void A_new_payment_is_pending_with_no_attempts_and_an_upper_case_currency()
    {
        var payment = Payment.Start(Request(), Now);

        payment.Status.ShouldBe(PaymentStatus.Pending);
        payment.Attempts.ShouldBe(0);
        payment.Currency.ShouldBe("EUR");
        payment.CreatedAt.ShouldBe(Now);
        payment.DomainEvents.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10.001)]
    [InlineData(1_000_001)]
    public void The_amount_must_be_positive_with_at_most_two_decimals(double amount)
    {
        var ex = Should.Throw<BusinessRuleValidationException>(() => Payment.Start(Request((decimal)amount), Now));

        ex.RuleName.ShouldBe(nameof(PaymentAmountMustBePositiveRule));
    }

    [Theory]
    [InlineData("EU")]
    [InlineData("EURO")]
    [InlineData("12$")]
    public void The_currency_must_be_an_iso_code(string currency) =>
        Should.Throw<BusinessRuleValidationException>(() => Payment.Start(Request(currency: currency), Now)).RuleName.ShouldBe(nameof(CurrencyMustBeIsoCodeRule));

    [Fact]
    public void An_idempotency_key_is_required() =>
        Should.Throw<BusinessRuleValidationException>(() => Payment.Start(Request(key: " "), Now)).RuleName.ShouldBe(nameof(IdempotencyKeyMustBePresentRule));

    [Fact]
    public void An_abandoned_payment_is_final_and_raises_no_event()
    {
        var payment = Payment.Start(Request(), Now);

        payment.Abandon("Payment was not completed in time.", Now.AddMinutes(15));

        payment.Status.ShouldBe(PaymentStatus.Abandoned);
        payment.CompletedAt.ShouldBe(Now.AddMinutes(15));
        payment.RefundableAmount.ShouldBe(0m);
        payment.DomainEvents.ShouldBeEmpty();
        Should.Throw<BusinessRuleValidationException>(() => payment.MarkSucceeded("ref-late", Now.AddMinutes(16))).RuleName.ShouldBe(nameof(OnlyPendingPaymentsCanBeDecidedRule));
        Should.Throw<BusinessRuleValidationException>(() => Paid().Abandon("late", Now)).RuleName.ShouldBe(nameof(OnlyPendingPaymentsCanBeDecidedRule));
    }

    [Fact]
    public void Succeeding_records_the_reference_and_raises_the_event_once()
    {
        var payment = Payment.Start(Request(), Now);

        payment.MarkSucceeded("ref-42", Now.AddSeconds(1));

        payment.Status.ShouldBe(PaymentStatus.Succeeded);
        payment.ProviderReference.ShouldBe("ref-42");
        payment.CompletedAt.ShouldBe(Now.AddSeconds(1));
        payment.Attempts.ShouldBe(1);
        var raised = payment.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<PaymentSucceededDomainEvent>();
        raised.PaymentId.ShouldBe(payment.Id);
        raised.Amount.ShouldBe(50m);
    }

    [Fact]
    public void An_unavailable_provider_leaves_the_payment_pending_and_counts_the_attempt()
    {
        var payment = Payment.Start(Request(), Now);

        payment.RecordUnavailable("circuit open");
        payment.RecordUnavailable("circuit open");

        payment.Status.ShouldBe(PaymentStatus.Pending);
        payment.Attempts.ShouldBe(2);
        payment.LastError.ShouldBe("circuit open");
        payment.DomainEvents.ShouldBeEmpty();
    }

    [Fact]
    public void A_decided_payment_never_changes_its_outcome()
    {
        var paid = Paid();
        Should.Throw<BusinessRuleValidationException>(() => paid.MarkDeclined("late decline", Now)).RuleName.ShouldBe(nameof(OnlyPendingPaymentsCanBeDecidedRule));
        Should.Throw<BusinessRuleValidationException>(() => paid.MarkSucceeded("again", Now));

        var declined = Payment.Start(Request(), Now);
        declined.MarkDeclined("card_declined", Now);
        declined.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<PaymentDeclinedDomainEvent>().Reason.ShouldBe("card_declined");
        Should.Throw<BusinessRuleValidationException>(() => declined.MarkSucceeded("ref", Now));
        Should.Throw<BusinessRuleValidationException>(() => declined.RecordUnavailable("down"));
    }

    [Fact]
    public void A_repeated_key_matches_only_the_same_request()
    {
        var request = Request();
        var payment = Payment.Start(request, Now);

        payment.IsSameRequestAs(request with { Currency = "EUR" }).ShouldBeTrue();
        payment.IsSameRequestAs(request with { Amount = 51m }).ShouldBeFalse();
        payment.IsSameRequestAs(request with { OrderId = Guid.NewGuid() }).ShouldBeFalse();
        payment.IsSameRequestAs(request with { Method = "paypal" }).ShouldBeFalse();
    }
}
