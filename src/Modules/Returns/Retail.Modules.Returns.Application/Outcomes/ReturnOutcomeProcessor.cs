using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Payments.IntegrationEvents;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Domain.Returns;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Returns.Application.Outcomes;

/// <summary>What one run did.</summary>
public sealed record OutcomeRunReport(int Returns, int Succeeded, int Waiting, int Completed);

/// <summary>
/// Executes the outcomes of returns in PROCESSING: REFUND through Payments' <c>RefundPayment</c> (to the original
/// payment methods, idempotent per return and payment, so a retry never refunds twice and the total never exceeds what
/// was paid), STORE_CREDIT through <c>IssueStoreCredit</c> (idempotent per return). REPLACEMENT completes when Ordering
/// answers; REPAIR when the warehouse ships it back. When all are done, the return is COMPLETED by the system.
/// Calls to Payments happen outside any Returns transaction (ADR 0004); each result is stored in its own short one.
/// </summary>
public sealed class ReturnOutcomeProcessor(
    IReturnsDbContext db,
    IReturnsUnitOfWork unitOfWork,
    IRequestSender sender,
    TimeProvider time,
    ILogger<ReturnOutcomeProcessor> logger)
{
    public const string JobId = "returns-outcomes";

    /// <summary>All returns in PROCESSING with something to do (the Hangfire sweep).</summary>
    public async Task<OutcomeRunReport> RunAsync(CancellationToken cancellationToken = default)
    {
        db.ChangeTracker.Clear();
        var ids = await db.Returns.AsNoTracking().Where(r => r.Status == ReturnStatus.Processing).Select(r => r.Id).ToListAsync(cancellationToken);
        var total = new OutcomeRunReport(0, 0, 0, 0);
        foreach (var id in ids)
        {
            var report = await ProcessAsync(id, cancellationToken);
            total = new OutcomeRunReport(total.Returns + 1, total.Succeeded + report.Succeeded, total.Waiting + report.Waiting, total.Completed + report.Completed);
        }

        return total;
    }

    public async Task<OutcomeRunReport> ProcessAsync(Guid returnId, CancellationToken cancellationToken = default)
    {
        var snapshot = await LoadAsync(returnId, cancellationToken);
        if (snapshot is null || snapshot.Status != ReturnStatus.Processing)
        {
            return new OutcomeRunReport(0, 0, 0, 0);
        }

        int succeeded = 0, waiting = 0;
        foreach (var outcome in snapshot.Outcomes.Where(o => o.Status != OutcomeStatus.Succeeded).ToList())
        {
            var (done, reference, error) = outcome.Kind switch
            {
                Disposition.Refund => await RefundAsync(snapshot, outcome, cancellationToken),
                Disposition.StoreCredit => await IssueCreditAsync(snapshot, outcome, cancellationToken),
                Disposition.Replacement => (false, null, "Waiting for Ordering to create the replacement order."),
                Disposition.Repair => (false, null, "Waiting for the warehouse to ship the repaired item back."),
                _ => (false, null, "Unknown outcome."),
            };
            if (outcome.Kind is Disposition.Replacement or Disposition.Repair && outcome.Status == OutcomeStatus.Waiting)
            {
                waiting++;
                continue;
            }

            await RecordAsync(returnId, outcome.Id, done, reference, error, cancellationToken);
            if (done)
            {
                succeeded++;
            }
            else
            {
                waiting++;
            }
        }

        var completed = await CompleteIfDoneAsync(db, unitOfWork, returnId, time, cancellationToken) ? 1 : 0;
        return new OutcomeRunReport(1, succeeded, waiting, completed);
    }

    /// <summary>Moves a return whose outcomes are all done to COMPLETED (system actor, audited). True when it did.</summary>
    public static async Task<bool> CompleteIfDoneAsync(IReturnsDbContext db, IUnitOfWork unitOfWork, Guid returnId, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(unitOfWork);
        try
        {
            return await unitOfWork.ExecuteAsync(
                async () =>
                {
                    var entity = await LoadTrackedAsync(db, returnId, cancellationToken);
                    if (entity is null || !entity.OutcomesDone)
                    {
                        return false;
                    }

                    entity.Apply("complete", ReturnActor.System(System.Diagnostics.Activity.Current?.TraceId.ToString()), TransitionData.None, time.GetUtcNow());
                    return true;
                },
                done => done,
                cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else completed or changed it meanwhile; the next run looks again.
            return false;
        }
    }

    private async Task<(bool Done, string? Reference, string? Error)> RefundAsync(Return entity, ReturnOutcome outcome, CancellationToken cancellationToken)
    {
        var plan = outcome.Plan;
        if (plan is null)
        {
            var split = await SplitAsync(entity.OrderId, outcome.Amount, 0, cancellationToken);
            if (split.Parts is null)
            {
                return (false, null, split.Problem);
            }

            plan = await StorePlanAsync(entity.Id, outcome.Id, null, FormatPlan(split.Parts), cancellationToken);
            if (plan is null)
            {
                return (false, null, PlanNotStored);
            }
        }

        for (var replans = 0; ; replans++)
        {
            var parts = ParsePlan(plan);
            var references = new List<string>();
            var pending = false;
            var accepted = 0m;
            (int Index, Error Error)? refused = null;
            for (var i = 0; i < parts.Count; i++)
            {
                var part = parts[i];
                var refund = await sender.Send(new RefundPayment(part.PaymentId, part.Amount, RefundKey(entity.Id, part), $"Return {entity.Code}"), cancellationToken);
                if (!refund.IsSuccess)
                {
                    logger.LogWarning("Refund for return {ReturnCode} on payment {PaymentId} refused: {Error}", entity.Code, part.PaymentId, refund.Error.Message);
                    refused = (i, refund.Error);
                    break;
                }

                accepted += part.Amount;
                pending |= refund.Value.Outcome == RefundOutcome.Pending;
                references.Add(refund.Value.RefundId.ToString());
            }

            if (refused is not { } refusal)
            {
                return pending
                    ? (false, null, "The refund is accepted and waits for the payment provider.")
                    : (true, string.Join(",", references), null);
            }

            // A part is more than its payment has left when another refund of the same order (another return, split from
            // the same amounts before either was sent) took it first. Nothing was reserved for that part, and the parts
            // before it are accepted: split the rest again over what the payments have left now, under new keys, or the
            // return would wait for ever while the order's other payment still holds the money.
            if (refusal.Error.Code != RefundErrorCodes.ExceedsPaid || replans == MaxReplans)
            {
                return (false, null, refusal.Error.Message);
            }

            var rest = await SplitAsync(entity.OrderId, outcome.Amount - accepted, parts.Max(p => p.Revision) + 1, cancellationToken);
            if (rest.Parts is null)
            {
                return (false, null, rest.Problem);
            }

            logger.LogInformation("Return {ReturnCode}: refund split again, {Amount} over the order's payments' remaining amounts", entity.Code, outcome.Amount - accepted);
            plan = await StorePlanAsync(entity.Id, outcome.Id, plan, FormatPlan([.. parts.Take(refusal.Index), .. rest.Parts]), cancellationToken);
            if (plan is null)
            {
                return (false, null, PlanNotStored);
            }
        }
    }

    private const int MaxReplans = 3;

    private const string PlanNotStored = "The return changed while its refund was being split; the next run tries again.";

    /// <summary>One part of a refund's split: an amount of one payment, under the key of the split's revision.</summary>
    private sealed record RefundPart(Guid PaymentId, decimal Amount, int Revision);

    /// <summary>
    /// Splits <paramref name="amount"/> over the order's payments, oldest first, within what each has left to refund (so
    /// the total never exceeds what was paid). Refuses a split that cannot cover the whole amount: marking a refund done
    /// for more than went back would tell the customer and the reports a wrong sum.
    /// </summary>
    private async Task<(List<RefundPart>? Parts, string? Problem)> SplitAsync(Guid orderId, decimal amount, int revision, CancellationToken cancellationToken)
    {
        var payments = await sender.Send(new GetPaymentsForOrder(orderId), cancellationToken);
        if (!payments.IsSuccess)
        {
            return (null, payments.Error.Message);
        }

        var parts = new List<RefundPart>();
        var remaining = amount;
        foreach (var payment in payments.Value)
        {
            var portion = Math.Min(remaining, payment.RefundableAmount);
            if (portion > 0)
            {
                parts.Add(new RefundPart(payment.PaymentId, portion, revision));
                remaining -= portion;
            }
        }

        return remaining > 0
            ? (null, $"Only {amount - remaining:0.00} of {amount:0.00} is left to refund on this order's payments.")
            : (parts, null);
    }

    /// <summary>
    /// Stores the split before any request of it is sent (first writer wins; a re-split replaces only the split it
    /// replaces), so every retry sends the same requests with the same idempotency keys and Payments answers a repeat with
    /// the first refund. Returns the split that counts, or null when ours was not stored and none other was either.
    /// </summary>
    private async Task<string?> StorePlanAsync(Guid returnId, Guid outcomeId, string? expected, string plan, CancellationToken cancellationToken)
    {
        try
        {
            await unitOfWork.ExecuteAsync(
                async () =>
                {
                    var entity = await LoadTrackedAsync(db, returnId, cancellationToken);
                    if (entity is null)
                    {
                        return false;
                    }

                    return expected is null ? entity.PlanOutcome(outcomeId, plan) : entity.ReplanOutcome(outcomeId, expected, plan);
                },
                changed => changed,
                cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another run stored a split first (or the return changed): the stored split below is the one that counts.
        }

        var stored = (await LoadAsync(returnId, cancellationToken))?.Outcomes.Single(o => o.Id == outcomeId).Plan;
        return stored is null || string.Equals(stored, expected, StringComparison.Ordinal) ? null : stored;
    }

    /// <summary><c>paymentId=amount</c> per part, <c>=revision</c> appended for parts of a re-split.</summary>
    private static string FormatPlan(IEnumerable<RefundPart> parts) =>
        string.Join(";", parts.Select(p => $"{p.PaymentId}={p.Amount.ToString(CultureInfo.InvariantCulture)}" + (p.Revision == 0 ? "" : "=" + p.Revision.ToString(CultureInfo.InvariantCulture))));

    private static List<RefundPart> ParsePlan(string plan) =>
    [
        .. plan.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('='))
            .Select(p => new RefundPart(
                Guid.Parse(p[0]),
                decimal.Parse(p[1], NumberStyles.Number, CultureInfo.InvariantCulture),
                p.Length > 2 ? int.Parse(p[2], NumberStyles.None, CultureInfo.InvariantCulture) : 0)),
    ];

    private async Task<(bool Done, string? Reference, string? Error)> IssueCreditAsync(Return entity, ReturnOutcome outcome, CancellationToken cancellationToken)
    {
        var issued = await sender.Send(
            new IssueStoreCredit(entity.CustomerId, outcome.Amount, $"Return {entity.Code}", entity.Code, $"return-{entity.Id:N}-store-credit"),
            cancellationToken);
        return issued.IsSuccess
            ? (true, issued.Value.Balance.ToString("0.00", CultureInfo.InvariantCulture), null)
            : (false, null, issued.Error.Message);
    }

    private async Task RecordAsync(Guid returnId, Guid outcomeId, bool done, string? reference, string? error, CancellationToken cancellationToken)
    {
        try
        {
            await RecordOnceAsync(returnId, outcomeId, done, reference, error, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone changed the return meanwhile (a photo, a repair note). The other side is idempotent, so the next run
            // asks again and records the same answer.
            logger.LogInformation("Return {ReturnId}: outcome {OutcomeId} not recorded (changed concurrently); the next run retries", returnId, outcomeId);
        }
    }

    private async Task RecordOnceAsync(Guid returnId, Guid outcomeId, bool done, string? reference, string? error, CancellationToken cancellationToken)
    {
        await unitOfWork.ExecuteAsync(
            async () =>
            {
                var entity = await LoadTrackedAsync(db, returnId, cancellationToken);
                if (entity is null)
                {
                    return false;
                }

                var now = time.GetUtcNow();
                var outcome = entity.Outcomes.Single(o => o.Id == outcomeId);
                if (outcome.Status == OutcomeStatus.Succeeded)
                {
                    return false;
                }

                if (done)
                {
                    entity.RecordOutcomeSucceeded(outcomeId, reference, now);
                    if (outcome.Kind == Disposition.Refund)
                    {
                        db.Publish(new ReturnRefundIssued(Guid.NewGuid(), now, entity.Id, entity.Code, entity.OrderId, entity.CustomerId, outcome.Amount, entity.Currency));
                    }

                    logger.LogInformation("Return {ReturnCode}: {Outcome} of {Amount} done ({Reference})", entity.Code, outcome.Kind, outcome.Amount, reference);
                }
                else
                {
                    entity.RecordOutcomeWaiting(outcomeId, error ?? "waiting", now);
                    logger.LogInformation("Return {ReturnCode}: {Outcome} waits: {Reason}", entity.Code, outcome.Kind, error);
                }

                return true;
            },
            _ => true,
            cancellationToken);
    }

    /// <summary>Per return and payment; a re-split's parts add their revision, so they never reuse a key of an earlier split.</summary>
    private static string RefundKey(Guid returnId, RefundPart part) =>
        $"return-{returnId:N}-{part.PaymentId:N}" + (part.Revision == 0 ? "" : "-" + part.Revision.ToString(CultureInfo.InvariantCulture));

    private async Task<Return?> LoadAsync(Guid returnId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Returns.AsNoTracking().Include(r => r.Outcomes).Include(r => r.Lines).SingleOrDefaultAsync(r => r.Id == returnId, cancellationToken);
    }

    internal static async Task<Return?> LoadTrackedAsync(IReturnsDbContext db, Guid returnId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Returns.Include(r => r.Outcomes).Include(r => r.Lines).Include(r => r.Audit)
            .SingleOrDefaultAsync(r => r.Id == returnId, cancellationToken);
    }
}
