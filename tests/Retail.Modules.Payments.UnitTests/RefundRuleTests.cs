using Retail.BuildingBlocks.Domain;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.Domain.Refunds;

namespace Retail.Modules.Payments.UnitTests;

public sealed class RefundRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Refunds_add_up_to_the_paid_amount_and_never_beyond()
    {
        var payment = PaymentTests.Paid(50m);

        Refund.Request(payment, 20m, "r1", "damaged", Now);
        Refund.Request(payment, 30m, "r2", "damaged", Now);

        payment.RefundedAmount.ShouldBe(50m);
        payment.RefundableAmount.ShouldBe(0m);
        Should.Throw<BusinessRuleValidationException>(() => Refund.Request(payment, 0.01m, "r3", "more", Now))
            .RuleName.ShouldBe(nameof(RefundTotalCannotExceedPaidRule));
        payment.RefundedAmount.ShouldBe(50m);
    }

    [Fact]
    public void Only_succeeded_payments_can_be_refunded()
    {
        var pending = Payment.Start(PaymentTests.Request(), Now);
        Should.Throw<BusinessRuleValidationException>(() => Refund.Request(pending, 1m, "r1", "x", Now)).RuleName.ShouldBe(nameof(OnlySucceededPaymentsCanBeRefundedRule));

        var declined = Payment.Start(PaymentTests.Request(), Now);
        declined.MarkDeclined("card_declined", Now);
        Should.Throw<BusinessRuleValidationException>(() => Refund.Request(declined, 1m, "r1", "x", Now));
        declined.RefundableAmount.ShouldBe(0m);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1.234)]
    public void A_refund_amount_is_positive_with_two_decimals(double amount) =>
        Should.Throw<BusinessRuleValidationException>(() => Refund.Request(PaymentTests.Paid(), (decimal)amount, "r1", "x", Now))
            .RuleName.ShouldBe(nameof(RefundAmountMustBePositiveRule));

    [Fact]
    public void A_refund_is_pending_until_it_succeeds_once()
    {
        var payment = PaymentTests.Paid(50m);
        var refund = Refund.Request(payment, 10m, "r1", "  too big  ", Now);

        refund.Status.ShouldBe(RefundStatus.Pending);
        refund.Reason.ShouldBe("too big");
        refund.RecordUnavailable("circuit open");
        refund.Status.ShouldBe(RefundStatus.Pending);
        refund.Attempts.ShouldBe(1);

        refund.MarkSucceeded(Now.AddMinutes(1));

        refund.Status.ShouldBe(RefundStatus.Succeeded);
        refund.Attempts.ShouldBe(2);
        refund.CompletedAt.ShouldBe(Now.AddMinutes(1));
        refund.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<RefundSucceededDomainEvent>().Amount.ShouldBe(10m);
        Should.Throw<BusinessRuleValidationException>(() => refund.MarkSucceeded(Now)).RuleName.ShouldBe(nameof(OnlyPendingRefundsCanBeDecidedRule));
    }

    [Fact]
    public void A_refused_refund_gives_its_amount_back_to_the_payment()
    {
        var payment = PaymentTests.Paid(50m);
        var refund = Refund.Request(payment, 40m, "r1", "x", Now);

        refund.MarkFailed("refund_not_possible", payment, Now);

        refund.Status.ShouldBe(RefundStatus.Failed);
        payment.RefundableAmount.ShouldBe(50m);
    }
}
