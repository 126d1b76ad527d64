using Retail.BuildingBlocks.Domain;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.UnitTests;

/// <summary>SPEC R1: every legal transition works for its role; every illegal one is refused and changes nothing.</summary>
public sealed class WorkflowTests
{
    private static readonly string[] AllRoles = [ReturnRoles.Customer, ReturnRoles.Support, ReturnRoles.Warehouse, ReturnRoles.Finance, ReturnRoles.System];

    public static TheoryData<string, ReturnStatus, string> LegalMoves()
    {
        var data = new TheoryData<string, ReturnStatus, string>();
        foreach (var t in ReturnWorkflow.Transitions)
        {
            foreach (var role in t.Roles)
            {
                data.Add(t.Action, t.From, role);
            }
        }

        return data;
    }

    public static TheoryData<string, ReturnStatus, string> WrongRoleMoves()
    {
        var data = new TheoryData<string, ReturnStatus, string>();
        foreach (var t in ReturnWorkflow.Transitions)
        {
            foreach (var role in AllRoles.Where(r => !t.Roles.Contains(r)))
            {
                data.Add(t.Action, t.From, role);
            }
        }

        return data;
    }

    public static TheoryData<string, ReturnStatus> WrongStateMoves()
    {
        var data = new TheoryData<string, ReturnStatus>();
        foreach (var status in Enum.GetValues<ReturnStatus>())
        {
            foreach (var action in ReturnWorkflow.Actions.Where(a => ReturnWorkflow.Find(a, status) is null))
            {
                data.Add(action, status);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LegalMoves))]
    public void Every_legal_transition_succeeds_for_its_role_and_writes_one_audit_row(string action, ReturnStatus from, string role)
    {
        var entity = ReturnBuilder.InState(from);
        if (action == "complete")
        {
            foreach (var outcome in entity.Outcomes)
            {
                entity.RecordOutcomeSucceeded(outcome.Id, "ref", ReturnBuilder.Now);
            }
        }

        var transition = ReturnWorkflow.Find(action, from)!;
        var auditBefore = entity.Audit.Count;
        var versionBefore = entity.Version;

        entity.Apply(action, ReturnBuilder.As(role), ReturnBuilder.InputFor(transition, entity), ReturnBuilder.Now.AddHours(1));

        entity.Status.ShouldBe(transition.To);
        entity.Version.ShouldBe(versionBefore + 1);
        entity.Audit.Count.ShouldBe(auditBefore + 1);
        var row = entity.Audit[^1];
        row.From.ShouldBe(from);
        row.To.ShouldBe(transition.To);
        row.Role.ShouldBe(role);
        row.Actor.ShouldBe(role + "-user");
        row.TraceId.ShouldBe("trace-" + role);
        row.Action.ShouldBe(action);
        entity.StageEnteredAt.ShouldBe(ReturnBuilder.Now.AddHours(1));
    }

    [Theory]
    [MemberData(nameof(WrongRoleMoves))]
    public void A_legal_move_by_the_wrong_role_is_refused_and_changes_nothing(string action, ReturnStatus from, string role)
    {
        var entity = ReturnBuilder.InState(from);
        var transition = ReturnWorkflow.Find(action, from)!;

        entity.Check(action, role, ReturnBuilder.InputFor(transition, entity))!.Refusal.ShouldBe(TransitionRefusal.WrongRole);
        AssertRefusedWithoutChange(entity, () => entity.Apply(action, ReturnBuilder.As(role), ReturnBuilder.InputFor(transition, entity), ReturnBuilder.Now));
    }

    [Theory]
    [MemberData(nameof(WrongStateMoves))]
    public void A_move_from_the_wrong_stage_is_refused_with_the_reason_and_changes_nothing(string action, ReturnStatus from)
    {
        var entity = ReturnBuilder.InState(from);
        var role = ReturnWorkflow.Transitions.First(t => t.Action == action).Roles[0];

        var check = entity.Check(action, role, new TransitionData("r", "TRACK-1", new InspectionInput(ConditionGrade.New, InspectionMismatch.None, null), []));
        check!.Refusal.ShouldBe(TransitionRefusal.WrongState);
        check.Message.ShouldContain(from.ToCode());
        AssertRefusedWithoutChange(entity, () => entity.Apply(action, ReturnBuilder.As(role), TransitionData.None, ReturnBuilder.Now));
    }

    [Theory]
    [InlineData("reject", ReturnStatus.Validating)]
    [InlineData("ship", ReturnStatus.Approved)]
    [InlineData("inspect", ReturnStatus.Inspecting)]
    [InlineData("decide", ReturnStatus.Inspected)]
    public void A_move_without_its_required_input_is_refused(string action, ReturnStatus from)
    {
        var entity = ReturnBuilder.InState(from);
        var role = ReturnWorkflow.Find(action, from)!.Roles[0];

        entity.Check(action, role, TransitionData.None)!.Refusal.ShouldBe(TransitionRefusal.MissingInput);
        AssertRefusedWithoutChange(entity, () => entity.Apply(action, ReturnBuilder.As(role), TransitionData.None, ReturnBuilder.Now));
    }

    [Fact]
    public void Unknown_actions_are_refused()
    {
        var entity = ReturnBuilder.Submitted();
        entity.Check("teleport", ReturnRoles.Support, TransitionData.None)!.Refusal.ShouldBe(TransitionRefusal.UnknownAction);
    }

    [Fact]
    public void The_table_has_the_ten_stages_in_order_and_two_other_ends()
    {
        string[] main = ["SUBMITTED", "VALIDATING", "APPROVED", "SHIPPING", "RECEIVED", "INSPECTING", "INSPECTED", "DISPOSITION", "PROCESSING", "COMPLETED"];
        var walked = new List<string> { "SUBMITTED" };
        var status = ReturnStatus.Submitted;
        while (!ReturnWorkflow.IsFinal(status))
        {
            status = ReturnWorkflow.From(status).Where(t => !ReturnWorkflow.IsFinal(t.To) || t.To == ReturnStatus.Completed).Select(t => t.To).First();
            walked.Add(status.ToCode());
        }

        walked.ShouldBe(main);
        ReturnWorkflow.Transitions.Where(t => t.To == ReturnStatus.Rejected).Select(t => t.From).ShouldBe([ReturnStatus.Submitted, ReturnStatus.Validating]);
        ReturnWorkflow.Transitions.Where(t => t.To == ReturnStatus.Cancelled).Select(t => t.From)
            .ShouldBe([ReturnStatus.Submitted, ReturnStatus.Validating, ReturnStatus.Approved], "customers cancel before shipping only");
        foreach (var final in new[] { ReturnStatus.Completed, ReturnStatus.Rejected, ReturnStatus.Cancelled })
        {
            ReturnWorkflow.From(final).ShouldBeEmpty();
        }
    }

    [Theory]
    [InlineData(Disposition.Refund)]
    [InlineData(Disposition.StoreCredit)]
    [InlineData(Disposition.Replacement)]
    [InlineData(Disposition.Repair)]
    public void A_full_walk_writes_one_audit_row_per_stage_change(Disposition preferred)
    {
        var entity = ReturnBuilder.InState(ReturnStatus.Processing, preferred);
        foreach (var outcome in entity.Outcomes)
        {
            entity.RecordOutcomeSucceeded(outcome.Id, "ref", ReturnBuilder.Now);
        }

        ReturnBuilder.Do(entity, "complete");

        entity.Audit.Select(a => a.To.ToCode()).ShouldBe(["SUBMITTED", "VALIDATING", "APPROVED", "SHIPPING", "RECEIVED", "INSPECTING", "INSPECTED", "DISPOSITION", "PROCESSING", "COMPLETED"]);
        entity.Audit.Select(a => a.Sequence).ShouldBe(Enumerable.Range(1, 10));
        entity.Outcomes.Single().Kind.ShouldBe(preferred);
        entity.MainDisposition.ShouldBe(preferred);
    }

    [Fact]
    public void A_return_cannot_complete_while_an_outcome_is_open()
    {
        var entity = ReturnBuilder.InState(ReturnStatus.Processing);
        Should.Throw<BusinessRuleValidationException>(() => entity.Apply("complete", ReturnActor.System(null), TransitionData.None, ReturnBuilder.Now))
            .RuleName.ShouldBe(nameof(OutcomesMustBeDoneBeforeCompletionRule));
        entity.Status.ShouldBe(ReturnStatus.Processing);
    }

    private static void AssertRefusedWithoutChange(Return entity, Action act)
    {
        var status = entity.Status;
        var version = entity.Version;
        var audit = entity.Audit.Count;
        var events = entity.DomainEvents.Count;

        Should.Throw<BusinessRuleValidationException>(act);

        entity.Status.ShouldBe(status);
        entity.Version.ShouldBe(version);
        entity.Audit.Count.ShouldBe(audit);
        entity.DomainEvents.Count.ShouldBe(events);
    }
}
