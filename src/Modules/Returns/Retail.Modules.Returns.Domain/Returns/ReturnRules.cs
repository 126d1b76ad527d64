using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Returns.Domain.Returns;

/// <summary>The move is in the transition table for this stage and role, with its required input.</summary>
public sealed class ReturnTransitionMustBeAllowedRule(TransitionCheck? check) : IBusinessRule
{
    public bool IsBroken() => check is not null;

    public string Message => check?.Message ?? "";
}

public sealed class ReturnMustHaveLinesRule(int lines) : IBusinessRule
{
    public bool IsBroken() => lines is < 1 or > Return.MaxLines;

    public string Message => $"A return has between 1 and {Return.MaxLines} lines.";
}

public sealed class ReturnQuantityMustBePositiveRule(int quantity) : IBusinessRule
{
    public bool IsBroken() => quantity < 1;

    public string Message => "Return at least one unit.";
}

public sealed class OtherReasonNeedsNoteRule(ReturnReason reason, string? note) : IBusinessRule
{
    public bool IsBroken() => reason == ReturnReason.Other && string.IsNullOrWhiteSpace(note);

    public string Message => "Tell us more when the reason is 'other'.";
}

public sealed class PreferredOutcomeMustBeAnOutcomeRule(Disposition preferred) : IBusinessRule
{
    public bool IsBroken() => preferred == Disposition.Reject || !Enum.IsDefined(preferred);

    public string Message => "Choose refund, replacement, repair or store credit.";
}

public sealed class TrackingNumberMustBeWellFormedRule(string tracking) : IBusinessRule
{
    public bool IsBroken()
    {
        var t = tracking.Trim();
        return t.Length is < 4 or > Return.MaxTrackingLength || !t.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ' ');
    }

    public string Message => $"A tracking number has 4–{Return.MaxTrackingLength} letters, digits, spaces or dashes.";
}

public sealed class EveryLineNeedsOneDispositionRule(IReadOnlyList<Guid> lineIds, IReadOnlyList<Guid> decided) : IBusinessRule
{
    public bool IsBroken() => decided.Count != lineIds.Count || decided.Distinct().Count() != decided.Count || lineIds.Except(decided).Any();

    public string Message => "Give every line of the return exactly one disposition.";
}

public sealed class OverrideNeedsReasonRule(Disposition? suggested, IReadOnlyList<LineDisposition> choices) : IBusinessRule
{
    public bool IsBroken() => choices.Any(c => !Enum.IsDefined(c.Disposition) || (c.Disposition != suggested && string.IsNullOrWhiteSpace(c.OverrideReason)));

    public string Message => $"Choosing something other than the suggested disposition ({suggested}) needs a reason.";
}

public sealed class OutcomesMustBeDoneBeforeCompletionRule(IReadOnlyList<ReturnOutcome> outcomes) : IBusinessRule
{
    public bool IsBroken() => outcomes.Any(o => o.Status != OutcomeStatus.Succeeded);

    public string Message => "A return completes only after its refund, credit, replacement or repair is done.";
}

public sealed class RepairMustBeOpenRule(ReturnStatus status, string role, IReadOnlyList<ReturnOutcome> outcomes) : IBusinessRule
{
    public bool IsBroken() =>
        status != ReturnStatus.Processing || role != ReturnRoles.Warehouse
        || !outcomes.Any(o => o.Kind == Disposition.Repair && o.Status != OutcomeStatus.Succeeded);

    public string Message => "Only the warehouse can ship back a repair, while the return is PROCESSING with a repair open.";
}

/// <summary>Units received are counted per line of this return, once each, from 0 to what the line asked for.</summary>
public sealed class ReceivedQuantityMustFitLineRule(ReturnLine? line, Guid lineId, int received, bool repeated) : IBusinessRule
{
    public bool IsBroken() => line is null || repeated || received < 0 || received > line.Quantity;

    public string Message =>
        line is null ? $"Line {lineId} is not on this return."
        : repeated ? $"Units received for {line.Sku} are given more than once."
        : $"Units received for {line.Sku} are between 0 and the {line.Quantity} the return asked for.";
}

/// <summary>
/// The mismatch and the counts tell the same story: SHORT names at least one line that came short, and a line that came
/// short is a mismatch (SHORT, or WRONG_ITEM/DAMAGED when that is what else was found).
/// </summary>
public sealed class ShortDeliveryMustMatchCountsRule(InspectionMismatch mismatch, bool anyLineShort) : IBusinessRule
{
    public bool IsBroken() => (mismatch == InspectionMismatch.Short && !anyLineShort) || (mismatch == InspectionMismatch.None && anyLineShort);

    public string Message => mismatch == InspectionMismatch.Short
        ? "A SHORT delivery needs the number of units that arrived for the line or lines that came short."
        : "Fewer units arrived than the return asked for: record the mismatch as SHORT.";
}

/// <summary>
/// Store credit is issued in one go, and Payments issues at most <see cref="Return.MaxStoreCredit"/> at once: a larger
/// STORE_CREDIT decision could never be executed and would leave the return in PROCESSING for ever.
/// </summary>
public sealed class StoreCreditMustFitOneIssueRule(decimal credit) : IBusinessRule
{
    public bool IsBroken() => credit > Return.MaxStoreCredit;

    public string Message => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"Store credit for one return is at most {Return.MaxStoreCredit:N2}; these lines come to {credit:N2}. Refund some of them instead.");
}
