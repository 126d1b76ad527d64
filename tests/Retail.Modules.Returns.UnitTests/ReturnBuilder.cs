using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.UnitTests;

/// <summary>Builds returns in any stage by walking the real transition table.</summary>
internal static class ReturnBuilder
{
    public static readonly DateTimeOffset Now = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);

    public static ReturnActor As(string role) => new(role + "-user", role, "trace-" + role);

    public static Return Submitted(Disposition preferred = Disposition.Refund, ReturnReason reason = ReturnReason.Defective, int lines = 1) =>
        Return.Submit(
            Guid.NewGuid(),
            "RMA-ABCDE",
            "customer-1",
            "c@example.test",
            Guid.NewGuid(),
            "ORD-1",
            "USD",
            reason,
            reason == ReturnReason.Other ? "see note" : null,
            preferred,
            [.. Enumerable.Range(1, lines).Select(i => ReturnLine.Create("SKU-" + i, "Item " + i, 10m * i, i))],
            As(ReturnRoles.Customer),
            Now);

    /// <summary>The input a transition needs, filled with valid values.</summary>
    public static TransitionData InputFor(ReturnTransition transition, Return entity, ConditionGrade grade = ConditionGrade.New) => transition.Input switch
    {
        TransitionInput.Reason => new TransitionData(Reason: "not eligible"),
        TransitionInput.TrackingNumber => new TransitionData(TrackingNumber: "1Z999AA10123456784"),
        TransitionInput.Inspection => new TransitionData(Inspection: new InspectionInput(grade, InspectionMismatch.None, "box opened")),
        TransitionInput.Dispositions => new TransitionData(Dispositions: [.. entity.Lines.Select(l => new LineDisposition(l.Id, entity.SuggestedDisposition!.Value, null))]),
        _ => TransitionData.None,
    };

    public static void Do(Return entity, string action, ConditionGrade grade = ConditionGrade.New)
    {
        var transition = ReturnWorkflow.Find(action, entity.Status) ?? throw new InvalidOperationException($"{action} from {entity.Status}");
        entity.Apply(action, As(transition.Roles[0]), InputFor(transition, entity, grade), Now);
    }

    /// <summary>The shortest walk from SUBMITTED to <paramref name="status"/>.</summary>
    public static Return InState(ReturnStatus status, Disposition preferred = Disposition.Refund)
    {
        var entity = Submitted(preferred);
        foreach (var action in PathTo(status))
        {
            if (action == "complete")
            {
                foreach (var outcome in entity.Outcomes)
                {
                    entity.RecordOutcomeSucceeded(outcome.Id, "ref", Now);
                }
            }

            Do(entity, action);
        }

        entity.Status.ShouldBe(status);
        return entity;
    }

    public static IReadOnlyList<string> PathTo(ReturnStatus status) => status switch
    {
        ReturnStatus.Submitted => [],
        ReturnStatus.Validating => ["validate"],
        ReturnStatus.Approved => ["validate", "approve"],
        ReturnStatus.Shipping => ["validate", "approve", "ship"],
        ReturnStatus.Received => ["validate", "approve", "ship", "receive"],
        ReturnStatus.Inspecting => ["validate", "approve", "ship", "receive", "start-inspection"],
        ReturnStatus.Inspected => ["validate", "approve", "ship", "receive", "start-inspection", "inspect"],
        ReturnStatus.Disposition => ["validate", "approve", "ship", "receive", "start-inspection", "inspect", "decide"],
        ReturnStatus.Processing => ["validate", "approve", "ship", "receive", "start-inspection", "inspect", "decide", "process"],
        ReturnStatus.Completed => ["validate", "approve", "ship", "receive", "start-inspection", "inspect", "decide", "process", "complete"],
        ReturnStatus.Rejected => ["validate", "reject"],
        ReturnStatus.Cancelled => ["cancel"],
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
