using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Returns.Domain.Returns;

/// <summary>
/// A return (RMA): lines of one delivered order, moving through the stages of <see cref="ReturnWorkflow"/> only. Every
/// move bumps <see cref="Version"/> (the concurrency token, so two staff acting at once cannot both win) and appends one
/// <see cref="ReturnAuditEntry"/>; audit rows are never changed or removed.
/// </summary>
public sealed class Return : AggregateRoot<Guid>
{
    public const int MaxLines = 50;
    public const int MaxNoteLength = 1000;
    public const int MaxReasonLength = 500;
    public const int MaxTrackingLength = 60;

    /// <summary>
    /// The most store credit one return may give: Payments issues at most this much at once (its
    /// <c>StoreCreditAmountMustBePositiveRule.MaxAmount</c>; a test keeps the two equal). More would fail in PROCESSING on
    /// every run, so it is refused when it is decided.
    /// </summary>
    public const decimal MaxStoreCredit = 100_000m;

    private readonly List<ReturnLine> _lines = [];
    private readonly List<ReturnAuditEntry> _audit = [];
    private readonly List<ReturnOutcome> _outcomes = [];

    private Return()
    {
    }

    /// <summary>The human code, e.g. <c>RMA-7K3Q9</c>.</summary>
    public string Code { get; private set; } = "";

    public string CustomerId { get; private set; } = "";

    public string? CustomerEmail { get; private set; }

    public Guid OrderId { get; private set; }

    public string OrderNumber { get; private set; } = "";

    public string Currency { get; private set; } = "";

    public ReturnReason Reason { get; private set; }

    public string? Note { get; private set; }

    public Disposition PreferredOutcome { get; private set; }

    public ReturnStatus Status { get; private set; }

    /// <summary>When the return entered its current stage (the SLA clock).</summary>
    public DateTimeOffset StageEnteredAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public string? TrackingNumber { get; private set; }

    public ConditionGrade? Grade { get; private set; }

    public InspectionMismatch? Mismatch { get; private set; }

    public string? InspectionNotes { get; private set; }

    public string? RejectionReason { get; private set; }

    /// <summary>Photos attached so far (customer and warehouse together).</summary>
    public int PhotoCount { get; private set; }

    /// <summary>Concurrency token: incremented by every change.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<ReturnLine> Lines => _lines;

    public IReadOnlyList<ReturnAuditEntry> Audit => _audit;

    public IReadOnlyList<ReturnOutcome> Outcomes => _outcomes;

    /// <summary>What the refund pays: the units that arrived (all requested before the inspection) of the REFUND lines.</summary>
    public decimal RefundTotal => _lines.Where(l => l.Disposition == Disposition.Refund).Sum(l => l.ReceivedTotal);

    public decimal StoreCreditTotal => _lines.Where(l => l.Disposition == Disposition.StoreCredit).Sum(l => l.ReceivedTotal);

    /// <summary>The disposition of the whole return, for reports: the one shared by every line, or the first non-reject.</summary>
    public Disposition? MainDisposition =>
        _lines.All(l => l.Disposition is null) ? null
        : _lines.Where(l => l.Disposition is not null and not Domain.Returns.Disposition.Reject).Select(l => l.Disposition).FirstOrDefault() ?? Domain.Returns.Disposition.Reject;

    public static Return Submit(
        Guid id,
        string code,
        string customerId,
        string? customerEmail,
        Guid orderId,
        string orderNumber,
        string currency,
        ReturnReason reason,
        string? note,
        Disposition preferred,
        IReadOnlyList<ReturnLine> lines,
        ReturnActor actor,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(actor);
        CheckRule(new ReturnMustHaveLinesRule(lines.Count));
        CheckRule(new OtherReasonNeedsNoteRule(reason, note));
        CheckRule(new PreferredOutcomeMustBeAnOutcomeRule(preferred));
        var entity = new Return
        {
            Id = id,
            Code = code,
            CustomerId = customerId,
            CustomerEmail = string.IsNullOrWhiteSpace(customerEmail) ? null : customerEmail.Trim(),
            OrderId = orderId,
            OrderNumber = orderNumber,
            Currency = currency,
            Reason = reason,
            Note = string.IsNullOrWhiteSpace(note) ? null : Clip(note.Trim(), MaxNoteLength),
            PreferredOutcome = preferred,
            Status = ReturnStatus.Submitted,
            StageEnteredAt = now,
            CreatedAt = now,
            Version = 1,
        };
        entity._lines.AddRange(lines.Select(l => l.For(id)));
        entity._audit.Add(ReturnAuditEntry.Record(id, 1, actor, null, ReturnStatus.Submitted, "submit", entity.Note, now));
        entity.Raise(new ReturnStatusChangedDomainEvent(entity, null, ReturnStatus.Submitted, now));
        return entity;
    }

    /// <summary>Null when <paramref name="action"/> is allowed for <paramref name="role"/> now, with the given input.</summary>
    public TransitionCheck? Check(string action, string role, TransitionData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var transition = ReturnWorkflow.Find(action, Status);
        return ReturnWorkflow.Check(action, Status, role, transition is null || data.Has(transition.Input));
    }

    /// <summary>Moves the return by one row of the table. Throws <see cref="BusinessRuleValidationException"/> when illegal.</summary>
    public ReturnTransition Apply(string action, ReturnActor actor, TransitionData data, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(data);
        CheckRule(new ReturnTransitionMustBeAllowedRule(Check(action, actor.Role, data)));
        var transition = ReturnWorkflow.Find(action, Status)!;
        string? auditReason = null;
        switch (transition.Input)
        {
            case TransitionInput.Reason:
                RejectionReason = Clip(data.Reason!.Trim(), MaxReasonLength);
                auditReason = RejectionReason;
                break;
            case TransitionInput.TrackingNumber:
                CheckRule(new TrackingNumberMustBeWellFormedRule(data.TrackingNumber!));
                TrackingNumber = data.TrackingNumber!.Trim();
                auditReason = "tracking " + TrackingNumber;
                break;
            case TransitionInput.Inspection:
                Inspect(data.Inspection!, now);
                var shortLines = _lines.Where(l => l.UnitsReceived < l.Quantity).Select(l => $"received {l.UnitsReceived} of {l.Quantity} {l.Sku}").ToList();
                auditReason = Clip(
                    $"grade {Grade}, mismatch {Mismatch}" + (shortLines.Count == 0 ? "" : "; " + string.Join(", ", shortLines)) + (InspectionNotes is null ? "" : ": " + InspectionNotes),
                    MaxReasonLength);
                break;
            case TransitionInput.Dispositions:
                auditReason = Decide(data.Dispositions!);
                break;
        }

        if (transition.To == ReturnStatus.Processing)
        {
            StartOutcomes(now);
        }

        if (transition.To == ReturnStatus.Completed)
        {
            CheckRule(new OutcomesMustBeDoneBeforeCompletionRule(_outcomes));
        }

        auditReason ??= string.IsNullOrWhiteSpace(data.Reason) ? null : Clip(data.Reason.Trim(), MaxReasonLength);
        MoveTo(transition, actor, auditReason, now);
        return transition;
    }

    /// <summary>The suggested disposition of every line from the inspection (null before it).</summary>
    public Disposition? SuggestedDisposition =>
        Grade is { } grade ? DispositionRules.Suggest(Reason, PreferredOutcome, grade, Mismatch ?? InspectionMismatch.None) : null;

    /// <summary>An outcome finished (refund paid, credit issued, replacement ordered, repair shipped back).</summary>
    public void RecordOutcomeSucceeded(Guid outcomeId, string? reference, DateTimeOffset now)
    {
        var outcome = OutcomeOf(outcomeId);
        outcome.Succeed(reference, now);
        Version++;
    }

    /// <summary>An outcome was tried and must wait (provider down, refund pending at the provider).</summary>
    public void RecordOutcomeWaiting(Guid outcomeId, string reason, DateTimeOffset now)
    {
        OutcomeOf(outcomeId).Wait(reason, now);
        Version++;
    }

    /// <summary>Fixes how an outcome is split (first writer wins; retries reuse it so they send identical requests). False when already fixed.</summary>
    public bool PlanOutcome(Guid outcomeId, string plan)
    {
        var outcome = OutcomeOf(outcomeId);
        if (outcome.Plan is not null)
        {
            return false;
        }

        outcome.FixPlan(plan);
        Version++;
        return true;
    }

    /// <summary>
    /// Replaces an outcome's split, only when it is still <paramref name="expected"/> (so of two runs re-planning at once
    /// one wins and the other reuses its plan). False when the stored plan is another one.
    /// </summary>
    public bool ReplanOutcome(Guid outcomeId, string expected, string plan)
    {
        var outcome = OutcomeOf(outcomeId);
        if (!string.Equals(outcome.Plan, expected, StringComparison.Ordinal))
        {
            return false;
        }

        outcome.Replan(plan);
        Version++;
        return true;
    }

    /// <summary>Whether every outcome has succeeded, so the processor may complete the return.</summary>
    public bool OutcomesDone => Status == ReturnStatus.Processing && _outcomes.All(o => o.Status == OutcomeStatus.Succeeded);

    /// <summary>Marks the lines whose stock was put back; returns those that were not yet (exactly once per line).</summary>
    public IReadOnlyList<ReturnLine> ClaimRestock(DateTimeOffset now)
    {
        if (Grade is not { } grade || !DispositionRules.IsSellable(grade) || Mismatch == InspectionMismatch.WrongItem)
        {
            return Array.Empty<ReturnLine>();
        }

        // A line none of whose units arrived has nothing to put back.
        var claimed = _lines.Where(l => l.RestockedAt is null && l.UnitsReceived > 0).ToList();
        foreach (var line in claimed)
        {
            line.MarkRestocked(now);
        }

        return claimed;
    }

    private void Inspect(InspectionInput inspection, DateTimeOffset now)
    {
        var received = inspection.Received ?? [];
        for (var i = 0; i < received.Count; i++)
        {
            var count = received[i];
            var repeated = received.Take(i).Any(r => r.LineId == count.LineId);
            CheckRule(new ReceivedQuantityMustFitLineRule(_lines.SingleOrDefault(l => l.Id == count.LineId), count.LineId, count.Quantity, repeated));
        }

        var counted = received.ToDictionary(r => r.LineId, r => r.Quantity);
        CheckRule(new ShortDeliveryMustMatchCountsRule(inspection.Mismatch, _lines.Any(l => counted.TryGetValue(l.Id, out var q) && q < l.Quantity)));
        foreach (var line in _lines)
        {
            line.Receive(counted.TryGetValue(line.Id, out var q) ? q : line.Quantity);
        }

        Grade = inspection.Grade;
        Mismatch = inspection.Mismatch;
        InspectionNotes = string.IsNullOrWhiteSpace(inspection.Notes) ? null : Clip(inspection.Notes.Trim(), MaxNoteLength);
        var restock = ClaimRestock(now);
        if (restock.Count > 0)
        {
            Raise(new ReturnRestockRequestedDomainEvent(Id, Code, restock.Select(l => (l.Sku, l.UnitsReceived)).ToList(), now));
        }
    }

    private string Decide(IReadOnlyList<LineDisposition> dispositions)
    {
        CheckRule(new EveryLineNeedsOneDispositionRule(_lines.Select(l => l.Id).ToList(), dispositions.Select(d => d.LineId).ToList()));
        var suggested = SuggestedDisposition;
        CheckRule(new OverrideNeedsReasonRule(suggested, dispositions));
        var credit = dispositions.Where(d => d.Disposition == Disposition.StoreCredit).Sum(d => _lines.Single(l => l.Id == d.LineId).ReceivedTotal);
        CheckRule(new StoreCreditMustFitOneIssueRule(credit));
        var overrides = new List<string>();
        foreach (var choice in dispositions)
        {
            var line = _lines.Single(l => l.Id == choice.LineId);
            var reason = choice.Disposition == suggested ? null : Clip(choice.OverrideReason!.Trim(), MaxReasonLength);
            line.Decide(choice.Disposition, suggested, reason);
            if (reason is not null)
            {
                overrides.Add($"{line.Sku}: {choice.Disposition} instead of {suggested} ({reason})");
            }
        }

        var summary = string.Join(", ", _lines.Select(l => $"{l.Sku} {l.Disposition}"));
        return Clip(overrides.Count == 0 ? summary : summary + "; overrides: " + string.Join("; ", overrides), MaxReasonLength);
    }

    private void StartOutcomes(DateTimeOffset now)
    {
        if (RefundTotal > 0)
        {
            _outcomes.Add(ReturnOutcome.Create(Id, Disposition.Refund, RefundTotal, now));
        }

        if (StoreCreditTotal > 0)
        {
            _outcomes.Add(ReturnOutcome.Create(Id, Disposition.StoreCredit, StoreCreditTotal, now));
        }

        // Only what came back is replaced or repaired: a line none of whose units arrived has nothing to act on.
        var replacements = _lines.Where(l => l.Disposition == Disposition.Replacement && l.UnitsReceived > 0).ToList();
        if (replacements.Count > 0)
        {
            var replacement = ReturnOutcome.Create(Id, Disposition.Replacement, 0m, now);
            _outcomes.Add(replacement);
            // The outcome's id becomes the replacement order's id, so Ordering and Catalog agree on it without asking.
            Raise(new ReplacementRequestedDomainEvent(this, replacement.Id, replacements.Select(l => (l.Sku, l.Name, l.UnitsReceived)).ToList(), now));
        }

        if (_lines.Any(l => l.Disposition == Disposition.Repair && l.UnitsReceived > 0))
        {
            _outcomes.Add(ReturnOutcome.Create(Id, Disposition.Repair, 0m, now));
        }
    }

    /// <summary>Warehouse: a repaired item went back to the customer. Not a stage change; it is audited as one step.</summary>
    public void RecordRepairShipped(ReturnActor actor, string? note, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        CheckRule(new RepairMustBeOpenRule(Status, actor.Role, _outcomes));
        var repair = _outcomes.Single(o => o.Kind == Disposition.Repair);
        repair.Succeed(string.IsNullOrWhiteSpace(note) ? null : Clip(note.Trim(), 200), now);
        Version++;
        _audit.Add(ReturnAuditEntry.Record(Id, _audit.Count + 1, actor, Status, Status, "repair-shipped", repair.Reference, now));
    }

    /// <summary>Counts a new photo against the limit; the version bump makes parallel uploads serialize on the token.</summary>
    public void RegisterPhoto(int maxPhotos)
    {
        CheckRule(new PhotoLimitRule(PhotoCount, maxPhotos));
        PhotoCount++;
        Version++;
    }

    private ReturnOutcome OutcomeOf(Guid outcomeId) =>
        _outcomes.SingleOrDefault(o => o.Id == outcomeId) ?? throw new InvalidOperationException($"Return {Code} has no outcome {outcomeId}.");

    private void MoveTo(ReturnTransition transition, ReturnActor actor, string? reason, DateTimeOffset now)
    {
        var from = Status;
        Status = transition.To;
        StageEnteredAt = now;
        if (ReturnWorkflow.IsFinal(Status))
        {
            ClosedAt = now;
        }

        Version++;
        _audit.Add(ReturnAuditEntry.Record(Id, _audit.Count + 1, actor, from, transition.To, transition.Action, reason, now));
        Raise(new ReturnStatusChangedDomainEvent(this, from, transition.To, now));
    }

    private static string Clip(string text, int max) => text.Length > max ? text[..max] : text;
}

/// <summary>One returned line: SKU, name and the unit price locked when the order was placed.</summary>
public sealed class ReturnLine : Entity<Guid>
{
    private ReturnLine()
    {
    }

    public Guid ReturnId { get; private set; }

    public string Sku { get; private set; } = "";

    public string Name { get; private set; } = "";

    public decimal UnitPrice { get; private set; }

    public int Quantity { get; private set; }

    public decimal LineTotal => UnitPrice * Quantity;

    /// <summary>Units the warehouse found in the parcel; null until the inspection.</summary>
    public int? ReceivedQuantity { get; private set; }

    /// <summary>The units an outcome covers: those that arrived, or all requested before the inspection counted them.</summary>
    public int UnitsReceived => ReceivedQuantity ?? Quantity;

    public decimal ReceivedTotal => UnitPrice * UnitsReceived;

    public Disposition? Disposition { get; private set; }

    public Disposition? SuggestedDisposition { get; private set; }

    public string? OverrideReason { get; private set; }

    /// <summary>Set once the unit went back to stock (sellable grade after inspection); never twice.</summary>
    public DateTimeOffset? RestockedAt { get; private set; }

    public static ReturnLine Create(string sku, string name, decimal unitPrice, int quantity)
    {
        CheckRule(new ReturnQuantityMustBePositiveRule(quantity));
        return new ReturnLine { Id = Guid.NewGuid(), Sku = sku.Trim().ToUpperInvariant(), Name = name, UnitPrice = unitPrice, Quantity = quantity };
    }

    internal ReturnLine For(Guid returnId)
    {
        ReturnId = returnId;
        return this;
    }

    internal void Decide(Disposition disposition, Disposition? suggested, string? overrideReason)
    {
        Disposition = disposition;
        SuggestedDisposition = suggested;
        OverrideReason = overrideReason;
    }

    internal void MarkRestocked(DateTimeOffset now) => RestockedAt ??= now;

    internal void Receive(int quantity) => ReceivedQuantity = quantity;
}

/// <summary>An append-only audit row: who (and in which role) moved the return from what to what, why, when, under which trace.</summary>
public sealed class ReturnAuditEntry
{
    private ReturnAuditEntry()
    {
    }

    public long Id { get; private set; }

    public Guid ReturnId { get; private set; }

    /// <summary>1, 2, 3… per return.</summary>
    public int Sequence { get; private set; }

    public string Actor { get; private set; } = "";

    public string Role { get; private set; } = "";

    /// <summary>Null for the submission itself.</summary>
    public ReturnStatus? From { get; private set; }

    public ReturnStatus To { get; private set; }

    public string Action { get; private set; } = "";

    public string? Reason { get; private set; }

    public DateTimeOffset At { get; private set; }

    public string? TraceId { get; private set; }

    internal static ReturnAuditEntry Record(Guid returnId, int sequence, ReturnActor actor, ReturnStatus? from, ReturnStatus to, string action, string? reason, DateTimeOffset at) => new()
    {
        ReturnId = returnId,
        Sequence = sequence,
        Actor = actor.UserId.Length > 256 ? actor.UserId[..256] : actor.UserId,
        Role = actor.Role,
        From = from,
        To = to,
        Action = action,
        Reason = reason,
        At = at,
        TraceId = actor.TraceId is { Length: > 64 } t ? t[..64] : actor.TraceId,
    };
}

/// <summary>One outcome being executed in PROCESSING: a refund, store credit, replacement order or repair.</summary>
public sealed class ReturnOutcome : Entity<Guid>
{
    private ReturnOutcome()
    {
    }

    public Guid ReturnId { get; private set; }

    public Disposition Kind { get; private set; }

    public decimal Amount { get; private set; }

    public OutcomeStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The other module's reference: refund ids, store-credit balance, replacement order, repair note.</summary>
    public string? Reference { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    /// <summary>How a refund is split over the order's payments (<c>paymentId=amount;…</c>), fixed on the first attempt.</summary>
    public string? Plan { get; private set; }

    internal void FixPlan(string plan) => Plan ??= plan;

    internal void Replan(string plan) => Plan = plan;

    internal static ReturnOutcome Create(Guid returnId, Disposition kind, decimal amount, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        ReturnId = returnId,
        Kind = kind,
        Amount = amount,
        Status = OutcomeStatus.Pending,
        CreatedAt = now,
    };

    internal void Succeed(string? reference, DateTimeOffset now)
    {
        if (Status == OutcomeStatus.Succeeded)
        {
            return;
        }

        Attempts++;
        LastAttemptAt = now;
        Status = OutcomeStatus.Succeeded;
        Reference = reference;
        LastError = null;
        CompletedAt = now;
    }

    internal void Wait(string reason, DateTimeOffset now)
    {
        if (Status == OutcomeStatus.Succeeded)
        {
            return;
        }

        Attempts++;
        LastAttemptAt = now;
        Status = OutcomeStatus.Waiting;
        LastError = reason.Length > 500 ? reason[..500] : reason;
    }
}

public sealed record ReturnStatusChangedDomainEvent(Return Return, ReturnStatus? From, ReturnStatus To, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ReturnRestockRequestedDomainEvent(Guid ReturnId, string Code, IReadOnlyList<(string Sku, int Quantity)> Lines, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ReplacementRequestedDomainEvent(Return Return, Guid ReplacementOrderId, IReadOnlyList<(string Sku, string Name, int Quantity)> Lines, DateTimeOffset OccurredAt) : IDomainEvent;
