namespace Retail.Modules.Returns.Application.Returns;

/// <summary>One line of a delivered order with whether (and how many) may go back, and why.</summary>
public sealed record EligibleLineDto(string Sku, string Name, decimal UnitPrice, int Bought, int AlreadyTaken, int Returnable, bool Eligible, string Explanation);

public sealed record ReturnEligibilityDto(
    Guid OrderId,
    string OrderNumber,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? WindowClosesAt,
    bool Eligible,
    string? Problem,
    IReadOnlyList<EligibleLineDto> Lines);

/// <summary>A delivered order the customer could return something from.</summary>
public sealed record ReturnableOrderDto(Guid OrderId, string OrderNumber, DateTimeOffset? DeliveredAt, DateTimeOffset? WindowClosesAt, int ReturnableUnits);

public sealed record ReturnSummaryDto(
    Guid Id,
    string Code,
    string OrderNumber,
    string Status,
    string? Owner,
    DateTimeOffset CreatedAt,
    DateTimeOffset StageEnteredAt,
    int Units,
    string CustomerId,
    bool Overdue,
    int Version);

/// <param name="Received">Units the warehouse found in the parcel; null before the inspection.</param>
public sealed record ReturnLineDto(Guid Id, string Sku, string Name, decimal UnitPrice, int Quantity, string? Disposition, string? SuggestedDisposition, string? OverrideReason, bool Restocked, int? Received);

/// <param name="From">Null for the submission.</param>
public sealed record TimelineEntryDto(string? From, string To, string Action, string Actor, string Role, string? Reason, DateTimeOffset At, string? TraceId);

public sealed record OutcomeDto(Guid Id, string Kind, decimal Amount, string Status, int Attempts, string? LastError, string? Reference, DateTimeOffset? CompletedAt);

public sealed record PhotoDto(Guid Id, string ContentType, long Size, string UploadedByRole, DateTimeOffset UploadedAt);

/// <summary>A button: an action of the transition table the viewer may take now.</summary>
public sealed record ActionDto(string Action, string Label, string To, string Input, string Role);

/// <summary>A stage of the timeline: reached (with its time) or still ahead.</summary>
public sealed record StageDto(string Status, bool Reached, bool Current, DateTimeOffset? At);

public sealed record ReturnDetailDto(
    Guid Id,
    string Code,
    Guid OrderId,
    string OrderNumber,
    string CustomerId,
    string Status,
    string? Owner,
    string NextAction,
    string Reason,
    string? Note,
    string PreferredOutcome,
    string? TrackingNumber,
    string? Grade,
    string? Mismatch,
    string? InspectionNotes,
    string? RejectionReason,
    string? SuggestedDisposition,
    string? Disposition,
    decimal RefundTotal,
    decimal StoreCreditTotal,
    decimal RefundedAmount,
    string Currency,
    DateTimeOffset CreatedAt,
    DateTimeOffset StageEnteredAt,
    bool Overdue,
    int Version,
    IReadOnlyList<ReturnLineDto> Lines,
    IReadOnlyList<StageDto> Stages,
    IReadOnlyList<TimelineEntryDto> Timeline,
    IReadOnlyList<OutcomeDto> Outcomes,
    IReadOnlyList<PhotoDto> Photos,
    IReadOnlyList<ActionDto> Actions);
