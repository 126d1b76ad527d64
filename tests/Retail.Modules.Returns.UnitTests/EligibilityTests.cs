using Retail.BuildingBlocks.Domain;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.UnitTests;

public sealed class EligibilityTests
{
    private static readonly DateTimeOffset Delivered = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_window_is_counted_from_delivery()
    {
        ReturnEligibility.OrderProblem(Delivered, Delivered.AddDays(30), ReturnEligibility.DefaultWindow).ShouldBeNull();
        ReturnEligibility.OrderProblem(Delivered, Delivered.AddDays(30).AddSeconds(1), ReturnEligibility.DefaultWindow)!.ShouldContain("closed on 2026-12-01");
        ReturnEligibility.OrderProblem(Delivered, Delivered.AddDays(8), TimeSpan.FromDays(7)).ShouldNotBeNull("the window is configurable");
        ReturnEligibility.OrderProblem(null, Delivered, ReturnEligibility.DefaultWindow)!.ShouldContain("not been delivered");
    }

    [Fact]
    public void Quantity_is_bounded_by_bought_minus_returned_or_pending()
    {
        var line = ReturnEligibility.ForLine(new PurchasedLineView("A", "A", 5m, Bought: 3, Taken: 1, Returnable: true), null);

        line.Returnable.ShouldBe(2);
        line.Explanation.ShouldContain("Up to 2 of 3");
        ReturnEligibility.QuantityProblem(line, 2).ShouldBeNull();
        ReturnEligibility.QuantityProblem(line, 3).ShouldBe("Only 2 of A can be returned.");
        ReturnEligibility.QuantityProblem(line, 0).ShouldNotBeNull();
    }

    [Fact]
    public void Fully_taken_and_non_returnable_lines_are_explained()
    {
        ReturnEligibility.ForLine(new PurchasedLineView("A", "A", 5m, 2, 2, true), null).Explanation.ShouldContain("already returned");
        ReturnEligibility.ForLine(new PurchasedLineView("A", "A", 5m, 2, 0, false), null).Explanation.ShouldBe("This product cannot be returned.");
        ReturnEligibility.ForLine(new PurchasedLineView("A", "A", 5m, 2, 0, true), "window closed").Eligible.ShouldBeFalse();
    }

    [Fact]
    public void Codes_are_short_readable_and_come_from_the_injected_randomness()
    {
        var values = new Queue<int>([0, 1, 2, 3, 4]);
        ReturnCodes.New(_ => values.Dequeue()).ShouldBe("RMA-23456");
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            ReturnCodes.IsWellFormed(ReturnCodes.New(random.Next)).ShouldBeTrue();
        }

        ReturnCodes.IsWellFormed("RMA-0OIL1").ShouldBeFalse("look-alike characters are never used");
    }

    [Fact]
    public void A_submission_needs_lines_a_note_for_other_and_a_real_outcome()
    {
        Should.Throw<BusinessRuleValidationException>(() => ReturnBuilder.Submitted(lines: 0)).RuleName.ShouldBe(nameof(ReturnMustHaveLinesRule));
        Should.Throw<BusinessRuleValidationException>(() => Return.Submit(Guid.NewGuid(), "RMA-ABCDE", "c", null, Guid.NewGuid(), "O", "USD",
            ReturnReason.Other, " ", Disposition.Refund, [ReturnLine.Create("A", "A", 1m, 1)], ReturnBuilder.As("customer"), ReturnBuilder.Now))
            .RuleName.ShouldBe(nameof(OtherReasonNeedsNoteRule));
        Should.Throw<BusinessRuleValidationException>(() => ReturnBuilder.Submitted(Disposition.Reject)).RuleName.ShouldBe(nameof(PreferredOutcomeMustBeAnOutcomeRule));
        var submitted = ReturnBuilder.Submitted();
        submitted.Audit.Single().From.ShouldBeNull();
        submitted.Audit.Single().To.ShouldBe(ReturnStatus.Submitted);
    }

    [Theory]
    [InlineData("1Z999AA10123456784", true)]
    [InlineData("ab", false)]
    [InlineData("<script>", false)]
    public void Tracking_numbers_are_checked(string tracking, bool ok)
    {
        var entity = ReturnBuilder.InState(ReturnStatus.Approved);
        var act = () => entity.Apply("ship", ReturnBuilder.As(ReturnRoles.Customer), new TransitionData(TrackingNumber: tracking), ReturnBuilder.Now);
        if (ok)
        {
            act();
            entity.TrackingNumber.ShouldBe(tracking);
        }
        else
        {
            Should.Throw<BusinessRuleValidationException>(act);
            entity.Status.ShouldBe(ReturnStatus.Approved);
        }
    }
}
