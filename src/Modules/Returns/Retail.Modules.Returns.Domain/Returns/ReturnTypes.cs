namespace Retail.Modules.Returns.Domain.Returns;

/// <summary>Why the customer sends it back.</summary>
public enum ReturnReason
{
    Defective,
    WrongItem,
    NotAsDescribed,
    ChangedMind,
    Other,
}

/// <summary>What happens to a returned line (SPEC R2). The customer states a preference; staff decide per line.</summary>
public enum Disposition
{
    Refund,
    Replacement,
    Repair,
    StoreCredit,
    Reject,
}

/// <summary>The warehouse's condition grade. New and LikeNew go back on the shelf.</summary>
public enum ConditionGrade
{
    New,
    LikeNew,
    Used,
    Damaged,
    Unusable,
}

/// <summary>What the warehouse found that does not match the return.</summary>
public enum InspectionMismatch
{
    None,
    WrongItem,
    Short,
    Damaged,
}

public enum OutcomeStatus
{
    /// <summary>Not tried yet.</summary>
    Pending,

    /// <summary>Tried; the other side is not done yet (payments down, refund pending, repair at the workshop).</summary>
    Waiting,

    Succeeded,
}

/// <summary>Who did it, in which role, under which trace (for the audit).</summary>
public sealed record ReturnActor(string UserId, string Role, string? TraceId)
{
    public static ReturnActor System(string? traceId) => new("system", ReturnRoles.System, traceId);
}

/// <param name="Received">
/// Units found in the parcel per line; a line not listed arrived in full. What arrived is what the refund, credit,
/// replacement and restock cover.
/// </param>
public sealed record InspectionInput(ConditionGrade Grade, InspectionMismatch Mismatch, string? Notes, IReadOnlyList<LineReceived>? Received = null);

public sealed record LineReceived(Guid LineId, int Quantity);

public sealed record LineDisposition(Guid LineId, Disposition Disposition, string? OverrideReason);

/// <summary>The optional inputs of a transition; which one is required comes from the table.</summary>
public sealed record TransitionData(
    string? Reason = null,
    string? TrackingNumber = null,
    InspectionInput? Inspection = null,
    IReadOnlyList<LineDisposition>? Dispositions = null)
{
    public static readonly TransitionData None = new();

    public bool Has(TransitionInput input) => input switch
    {
        TransitionInput.Reason => !string.IsNullOrWhiteSpace(Reason),
        TransitionInput.TrackingNumber => !string.IsNullOrWhiteSpace(TrackingNumber),
        TransitionInput.Inspection => Inspection is not null,
        TransitionInput.Dispositions => Dispositions is { Count: > 0 },
        _ => true,
    };
}

/// <summary>Pure rules about grades and dispositions (SPEC M3: workflow rules live in the domain).</summary>
public static class DispositionRules
{
    public static bool IsSellable(ConditionGrade grade) => grade is ConditionGrade.New or ConditionGrade.LikeNew;

    /// <summary>
    /// The disposition staff see pre-selected: the wrong item came back → reject; a change of mind returned damaged or
    /// unusable → reject; an unusable defective item the customer wanted repaired → repair; otherwise what the customer
    /// preferred. Choosing anything else is an override and needs a reason.
    /// </summary>
    public static Disposition Suggest(ReturnReason reason, Disposition preferred, ConditionGrade grade, InspectionMismatch mismatch)
    {
        if (mismatch == InspectionMismatch.WrongItem)
        {
            return Disposition.Reject;
        }

        if (reason == ReturnReason.ChangedMind && grade is ConditionGrade.Damaged or ConditionGrade.Unusable)
        {
            return Disposition.Reject;
        }

        return preferred;
    }
}
