using Retail.BuildingBlocks.Domain;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.UnitTests;

public sealed class DispositionTests
{
    [Theory]
    [InlineData(ReturnReason.Defective, Disposition.Refund, ConditionGrade.Damaged, InspectionMismatch.None, Disposition.Refund)]
    [InlineData(ReturnReason.ChangedMind, Disposition.Refund, ConditionGrade.New, InspectionMismatch.None, Disposition.Refund)]
    [InlineData(ReturnReason.ChangedMind, Disposition.StoreCredit, ConditionGrade.Damaged, InspectionMismatch.None, Disposition.Reject)]
    [InlineData(ReturnReason.Defective, Disposition.Replacement, ConditionGrade.New, InspectionMismatch.WrongItem, Disposition.Reject)]
    [InlineData(ReturnReason.Defective, Disposition.Repair, ConditionGrade.Unusable, InspectionMismatch.None, Disposition.Repair)]
    public void The_suggestion_follows_the_inspection(ReturnReason reason, Disposition preferred, ConditionGrade grade, InspectionMismatch mismatch, Disposition expected) =>
        DispositionRules.Suggest(reason, preferred, grade, mismatch).ShouldBe(expected);

    [Fact]
    public void Overriding_the_suggestion_needs_a_reason()
    {
        var entity = ReturnBuilder.InState(ReturnStatus.Inspected, Disposition.Refund);
        var line = entity.Lines.Single();

        Should.Throw<BusinessRuleValidationException>(() => entity.Apply("decide", ReturnBuilder.As(ReturnRoles.Finance),
            new TransitionData(Dispositions: [new LineDisposition(line.Id, Disposition.StoreCredit, null)]), ReturnBuilder.Now))
            .RuleName.ShouldBe(nameof(OverrideNeedsReasonRule));
        entity.Status.ShouldBe(ReturnStatus.Inspected);

        entity.Apply("decide", ReturnBuilder.As(ReturnRoles.Finance),
            new TransitionData(Dispositions: [new LineDisposition(line.Id, Disposition.StoreCredit, "customer asked by phone")]), ReturnBuilder.Now);
        line.Disposition.ShouldBe(Disposition.StoreCredit);
        line.SuggestedDisposition.ShouldBe(Disposition.Refund);
        line.OverrideReason.ShouldBe("customer asked by phone");
        entity.Audit[^1].Reason!.ShouldContain("customer asked by phone");
    }

    [Fact]
    public void Every_line_needs_exactly_one_disposition()
    {
        var entity = ReturnBuilder.Submitted(lines: 2);
        foreach (var action in ReturnBuilder.PathTo(ReturnStatus.Inspected))
        {
            ReturnBuilder.Do(entity, action);
        }

        Should.Throw<BusinessRuleValidationException>(() => entity.Apply("decide", ReturnBuilder.As(ReturnRoles.Support),
            new TransitionData(Dispositions: [new LineDisposition(entity.Lines[0].Id, Disposition.Refund, null)]), ReturnBuilder.Now))
            .RuleName.ShouldBe(nameof(EveryLineNeedsOneDispositionRule));
    }

    [Fact]
    public void Processing_creates_one_outcome_per_kind_with_the_line_amounts()
    {
        var entity = ReturnBuilder.Submitted(lines: 3);
        foreach (var action in ReturnBuilder.PathTo(ReturnStatus.Inspected))
        {
            ReturnBuilder.Do(entity, action);
        }

        entity.Apply("decide", ReturnBuilder.As(ReturnRoles.Support), new TransitionData(Dispositions:
        [
            new LineDisposition(entity.Lines[0].Id, Disposition.Refund, null),
            new LineDisposition(entity.Lines[1].Id, Disposition.StoreCredit, "goodwill"),
            new LineDisposition(entity.Lines[2].Id, Disposition.Replacement, "customer wants another"),
        ]), ReturnBuilder.Now);
        entity.Apply("process", ReturnBuilder.As(ReturnRoles.Finance), TransitionData.None, ReturnBuilder.Now);

        entity.Outcomes.Single(o => o.Kind == Disposition.Refund).Amount.ShouldBe(10m);
        entity.Outcomes.Single(o => o.Kind == Disposition.StoreCredit).Amount.ShouldBe(40m);
        entity.Outcomes.Single(o => o.Kind == Disposition.Replacement).Amount.ShouldBe(0m);
        entity.DomainEvents.OfType<ReplacementRequestedDomainEvent>().Single().Lines.Single().Sku.ShouldBe("SKU-3");
    }

    [Fact]
    public void All_lines_rejected_leaves_nothing_to_execute()
    {
        var entity = ReturnBuilder.InState(ReturnStatus.Inspected);
        entity.Apply("decide", ReturnBuilder.As(ReturnRoles.Support),
            new TransitionData(Dispositions: [new LineDisposition(entity.Lines[0].Id, Disposition.Reject, "used for months")]), ReturnBuilder.Now);
        entity.Apply("process", ReturnBuilder.As(ReturnRoles.Finance), TransitionData.None, ReturnBuilder.Now);

        entity.Outcomes.ShouldBeEmpty();
        entity.OutcomesDone.ShouldBeTrue();
        entity.MainDisposition.ShouldBe(Disposition.Reject);
    }

    [Theory]
    [InlineData(ConditionGrade.New, true)]
    [InlineData(ConditionGrade.LikeNew, true)]
    [InlineData(ConditionGrade.Used, false)]
    [InlineData(ConditionGrade.Damaged, false)]
    public void Inspection_in_a_sellable_grade_restocks_every_line_exactly_once(ConditionGrade grade, bool restocked)
    {
        var entity = ReturnBuilder.InState(ReturnStatus.Inspecting);
        ReturnBuilder.Do(entity, "inspect", grade);

        entity.DomainEvents.OfType<ReturnRestockRequestedDomainEvent>().Count().ShouldBe(restocked ? 1 : 0);
        entity.Lines.All(l => l.RestockedAt is not null).ShouldBe(restocked);
        entity.ClaimRestock(ReturnBuilder.Now).ShouldBeEmpty("a line is restocked once");
    }

    [Fact]
    public void Long_inspection_notes_keep_the_audit_reason_within_its_column()
    {
        // Notes may be 1,000 characters, the audit reason column 500: on SQL Server a longer reason failed the save (a 500).
        var entity = ReturnBuilder.InState(ReturnStatus.Inspecting);
        var notes = new string('n', Return.MaxNoteLength);

        entity.Apply("inspect", ReturnBuilder.As(ReturnRoles.Warehouse),
            new TransitionData(Inspection: new InspectionInput(ConditionGrade.Used, InspectionMismatch.None, notes)), ReturnBuilder.Now);

        entity.InspectionNotes.ShouldBe(notes);
        entity.Audit[^1].Reason!.Length.ShouldBe(Return.MaxReasonLength);
        entity.Audit[^1].Reason!.ShouldStartWith("grade Used, mismatch None: nnn");
    }

    [Fact]
    public void Repair_is_tracked_until_the_warehouse_ships_it_back()
    {
        var entity = ReturnBuilder.InState(ReturnStatus.Processing, Disposition.Repair);
        entity.OutcomesDone.ShouldBeFalse();
        Should.Throw<BusinessRuleValidationException>(() => entity.RecordRepairShipped(ReturnBuilder.As(ReturnRoles.Finance), null, ReturnBuilder.Now));

        entity.RecordRepairShipped(ReturnBuilder.As(ReturnRoles.Warehouse), "fixed hinge, DHL 123", ReturnBuilder.Now);

        entity.OutcomesDone.ShouldBeTrue();
        entity.Audit[^1].Action.ShouldBe("repair-shipped");
        entity.Audit[^1].From.ShouldBe(ReturnStatus.Processing);
        entity.Audit[^1].To.ShouldBe(ReturnStatus.Processing);
    }
}
