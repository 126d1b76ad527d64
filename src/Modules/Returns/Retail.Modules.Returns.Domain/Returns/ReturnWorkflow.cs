namespace Retail.Modules.Returns.Domain.Returns;

/// <summary>The stages of a return (SPEC R1). COMPLETED, REJECTED and CANCELLED are the ends.</summary>
public enum ReturnStatus
{
    Submitted,
    Validating,
    Approved,
    Shipping,
    Received,
    Inspecting,
    Inspected,
    Disposition,
    Processing,
    Completed,
    Rejected,
    Cancelled,
}

/// <summary>What a transition needs besides the actor.</summary>
public enum TransitionInput
{
    None,

    /// <summary>A free-text reason (rejections).</summary>
    Reason,

    /// <summary>The parcel's tracking number.</summary>
    TrackingNumber,

    /// <summary>Condition grade, mismatch and notes.</summary>
    Inspection,

    /// <summary>One disposition per line; overrides of the suggestion carry a reason.</summary>
    Dispositions,
}

/// <summary>Who acts on returns. <see cref="System"/> is the outcome processor (a background job), never a person.</summary>
public static class ReturnRoles
{
    public const string Customer = "customer";
    public const string Support = "support";
    public const string Warehouse = "warehouse";
    public const string Finance = "finance";
    public const string System = "system";

    /// <summary>The staff teams that own queues, in the order they act.</summary>
    public static readonly IReadOnlyList<string> Teams = Array.AsReadOnly(new[] { Support, Warehouse, Finance });
}

/// <summary>One row of the transition table: the only way a return changes stage.</summary>
/// <param name="Action">Stable name used by the API (<c>/api/staff/returns/{code}/{action}</c>) and the page buttons.</param>
/// <param name="Label">Button text.</param>
public sealed record ReturnTransition(string Action, ReturnStatus From, ReturnStatus To, IReadOnlyList<string> Roles, TransitionInput Input, string Label)
{
    public bool AllowsRole(string role) => Roles.Contains(role, StringComparer.Ordinal);
}

/// <summary>Why a transition cannot happen, as a machine kind plus a message for people.</summary>
public enum TransitionRefusal
{
    UnknownAction,
    WrongState,
    WrongRole,
    MissingInput,
}

public sealed record TransitionCheck(TransitionRefusal Refusal, string Message);

/// <summary>
/// THE transition table (SPEC R1). UI buttons, the JSON API, the handlers and the audit all read it; nothing else decides
/// whether a return may move.
/// </summary>
public static class ReturnWorkflow
{
    private static readonly string[] CustomerOnly = [ReturnRoles.Customer];
    private static readonly string[] SupportOnly = [ReturnRoles.Support];
    private static readonly string[] WarehouseOnly = [ReturnRoles.Warehouse];
    private static readonly string[] FinanceOnly = [ReturnRoles.Finance];
    private static readonly string[] SupportOrFinance = [ReturnRoles.Support, ReturnRoles.Finance];
    private static readonly string[] SystemOnly = [ReturnRoles.System];

    // Arrays, not collection expressions over interfaces: those make the compiler synthesize types in this assembly.
    private static readonly ReturnTransition[] Table =
    [
        //  action              from                        to                          roles             input                          label
        new("validate",         ReturnStatus.Submitted,     ReturnStatus.Validating,    SupportOnly,      TransitionInput.None,          "Start validation"),
        new("approve",          ReturnStatus.Submitted,     ReturnStatus.Approved,      SupportOnly,      TransitionInput.None,          "Approve"),
        new("approve",          ReturnStatus.Validating,    ReturnStatus.Approved,      SupportOnly,      TransitionInput.None,          "Approve"),
        new("reject",           ReturnStatus.Submitted,     ReturnStatus.Rejected,      SupportOnly,      TransitionInput.Reason,        "Reject"),
        new("reject",           ReturnStatus.Validating,    ReturnStatus.Rejected,      SupportOnly,      TransitionInput.Reason,        "Reject"),
        new("cancel",           ReturnStatus.Submitted,     ReturnStatus.Cancelled,     CustomerOnly,     TransitionInput.None,          "Cancel return"),
        new("cancel",           ReturnStatus.Validating,    ReturnStatus.Cancelled,     CustomerOnly,     TransitionInput.None,          "Cancel return"),
        new("cancel",           ReturnStatus.Approved,      ReturnStatus.Cancelled,     CustomerOnly,     TransitionInput.None,          "Cancel return"),
        new("ship",             ReturnStatus.Approved,      ReturnStatus.Shipping,      CustomerOnly,     TransitionInput.TrackingNumber, "I have shipped it"),
        new("receive",          ReturnStatus.Shipping,      ReturnStatus.Received,      WarehouseOnly,    TransitionInput.None,          "Mark received"),
        new("start-inspection", ReturnStatus.Received,      ReturnStatus.Inspecting,    WarehouseOnly,    TransitionInput.None,          "Start inspection"),
        new("inspect",          ReturnStatus.Inspecting,    ReturnStatus.Inspected,     WarehouseOnly,    TransitionInput.Inspection,    "Record inspection"),
        new("decide",           ReturnStatus.Inspected,     ReturnStatus.Disposition,   SupportOrFinance, TransitionInput.Dispositions,  "Decide disposition"),
        new("process",          ReturnStatus.Disposition,   ReturnStatus.Processing,    FinanceOnly,      TransitionInput.None,          "Execute outcome"),
        new("complete",         ReturnStatus.Processing,    ReturnStatus.Completed,     SystemOnly,       TransitionInput.None,          "Complete"),
    ];

    public static IReadOnlyList<ReturnTransition> Transitions { get; } = Array.AsReadOnly(Table);

    /// <summary>Every action name in the table.</summary>
    public static IReadOnlyList<string> Actions { get; } = Table.Select(t => t.Action).Distinct(StringComparer.Ordinal).ToList().AsReadOnly();

    public static bool IsFinal(ReturnStatus status) => status is ReturnStatus.Completed or ReturnStatus.Rejected or ReturnStatus.Cancelled;

    /// <summary>The row for an action from a stage, or null.</summary>
    public static ReturnTransition? Find(string action, ReturnStatus from) =>
        Transitions.FirstOrDefault(t => t.From == from && string.Equals(t.Action, action, StringComparison.Ordinal));

    /// <summary>What the holder of <paramref name="role"/> may do now (drives the buttons).</summary>
    public static IReadOnlyList<ReturnTransition> AvailableTo(ReturnStatus from, string role) =>
        Transitions.Where(t => t.From == from && t.AllowsRole(role)).ToList();

    public static IReadOnlyList<ReturnTransition> From(ReturnStatus from) => Transitions.Where(t => t.From == from).ToList();

    /// <summary>Null when the move is allowed; otherwise why not. Input presence is checked here, its content by the aggregate.</summary>
    public static TransitionCheck? Check(string action, ReturnStatus from, string role, bool hasRequiredInput = true)
    {
        if (!Actions.Contains(action, StringComparer.Ordinal))
        {
            return new TransitionCheck(TransitionRefusal.UnknownAction, $"'{action}' is not a return action.");
        }

        var transition = Find(action, from);
        if (transition is null)
        {
            var targets = Transitions.Where(t => t.Action == action).Select(t => t.From.ToCode()).Distinct();
            return new TransitionCheck(
                TransitionRefusal.WrongState,
                $"A return that is {from.ToCode()} cannot be {PastTense(action)}; '{action}' is only possible from {string.Join(" or ", targets)}.");
        }

        if (!transition.AllowsRole(role))
        {
            return new TransitionCheck(TransitionRefusal.WrongRole, $"Only {string.Join(" or ", transition.Roles)} may {action} a return that is {from.ToCode()}.");
        }

        return hasRequiredInput ? null : new TransitionCheck(TransitionRefusal.MissingInput, $"'{action}' needs {InputText(transition.Input)}.");
    }

    /// <summary>The team that owns the next step of a return in <paramref name="status"/>; null at the ends.</summary>
    public static string? OwnerOf(ReturnStatus status) => status switch
    {
        ReturnStatus.Submitted or ReturnStatus.Validating => ReturnRoles.Support,
        ReturnStatus.Approved => ReturnRoles.Customer,
        ReturnStatus.Shipping or ReturnStatus.Received or ReturnStatus.Inspecting => ReturnRoles.Warehouse,
        ReturnStatus.Inspected => ReturnRoles.Support,
        ReturnStatus.Disposition or ReturnStatus.Processing => ReturnRoles.Finance,
        _ => null,
    };

    /// <summary>The stages a team's queue shows.</summary>
    public static IReadOnlyList<ReturnStatus> QueueOf(string team) => team switch
    {
        ReturnRoles.Support => new List<ReturnStatus> { ReturnStatus.Submitted, ReturnStatus.Validating, ReturnStatus.Inspected },
        ReturnRoles.Warehouse => new List<ReturnStatus> { ReturnStatus.Shipping, ReturnStatus.Received, ReturnStatus.Inspecting },
        ReturnRoles.Finance => new List<ReturnStatus> { ReturnStatus.Inspected, ReturnStatus.Disposition, ReturnStatus.Processing },
        _ => Array.Empty<ReturnStatus>(),
    };

    /// <summary>The upper-case code used in the API, on badges and in SPEC (e.g. <c>SUBMITTED</c>).</summary>
    public static string ToCode(this ReturnStatus status) => status.ToString().ToUpperInvariant();

    public static ReturnStatus? ParseStatus(string? code) =>
        Enum.TryParse<ReturnStatus>(code, ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(code, out _) ? status : null;

    private static readonly Dictionary<string, string> PastTenses = new(StringComparer.Ordinal)
    {
        ["validate"] = "validated",
        ["approve"] = "approved",
        ["reject"] = "rejected",
        ["cancel"] = "cancelled",
        ["ship"] = "shipped",
        ["receive"] = "received",
        ["start-inspection"] = "put into inspection",
        ["inspect"] = "inspected",
        ["decide"] = "given a disposition",
        ["process"] = "processed",
        ["complete"] = "completed",
    };

    private static string PastTense(string action) => PastTenses.TryGetValue(action, out var text) ? text : action;

    private static string InputText(TransitionInput input) => input switch
    {
        TransitionInput.Reason => "a reason",
        TransitionInput.TrackingNumber => "a tracking number",
        TransitionInput.Inspection => "a condition grade",
        TransitionInput.Dispositions => "a disposition for every line",
        _ => "nothing",
    };
}
