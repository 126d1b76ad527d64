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
        var payments = await sender.Send(new GetPaymentsForOrder(entity.OrderId), cancellationToken);
        if (!payments.IsSuccess)
        {
            return (false, null, payments.Error.Message);
        }

        var plan = outcome.Plan is { } stored ? ParsePlan(stored) : await FixPlanAsync(entity.Id, outcome, payments.Value, cancellationToken);
        if (plan.Count == 0)
        {
            return (false, null, "Nothing left to refund on this order's payments.");
        }

        var references = new List<string>();
        var pending = false;
        foreach (var (paymentId, amount) in plan)
        {
            var refund = await sender.Send(new RefundPayment(paymentId, amount, RefundKey(entity.Id, paymentId), $"Return {entity.Code}"), cancellationToken);
            if (!refund.IsSuccess)
            {
                logger.LogWarning("Refund for return {ReturnCode} on payment {PaymentId} refused: {Error}", entity.Code, paymentId, refund.Error.Message);
                return (false, null, refund.Error.Message);
            }

            pending |= refund.Value.Outcome == RefundOutcome.Pending;
            references.Add(refund.Value.RefundId.ToString());
        }

        return pending
            ? (false, null, "The refund is accepted and waits for the payment provider.")
            : (true, string.Join(",", references), null);
    }

    /// <summary>
    /// Splits the refund over the order's payments, oldest first, within what each has left to refund (so the total never
    /// exceeds what was paid), and stores the split before the first request. Every retry then sends the same requests with
    /// the same idempotency keys (per return and payment), and Payments answers a repeat with the first refund.
    /// </summary>
    private async Task<List<(Guid PaymentId, decimal Amount)>> FixPlanAsync(Guid returnId, ReturnOutcome outcome, IReadOnlyList<OrderPaymentDto> payments, CancellationToken cancellationToken)
    {
        var plan = new List<(Guid PaymentId, decimal Amount)>();
        var remaining = outcome.Amount;
        foreach (var payment in payments)
        {
            var portion = Math.Min(remaining, payment.RefundableAmount);
            if (portion > 0)
            {
                plan.Add((payment.PaymentId, portion));
                remaining -= portion;
            }
        }

        if (plan.Count == 0)
        {
            return plan;
        }

        var text = string.Join(";", plan.Select(p => $"{p.PaymentId}={p.Amount.ToString(CultureInfo.InvariantCulture)}"));
        try
        {
            await unitOfWork.ExecuteAsync(
                async () =>
                {
                    var entity = await LoadTrackedAsync(db, returnId, cancellationToken);
                    entity?.PlanOutcome(outcome.Id, text);
                    return true;
                },
                _ => true,
                cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another run fixed a plan first (or the return changed): the stored plan below is the one that counts.
        }

        var stored = (await LoadAsync(returnId, cancellationToken))?.Outcomes.Single(o => o.Id == outcome.Id).Plan;
        return stored is null ? plan : ParsePlan(stored);
    }

    private static List<(Guid PaymentId, decimal Amount)> ParsePlan(string plan) =>
    [
        .. plan.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('='))
            .Select(p => (Guid.Parse(p[0]), decimal.Parse(p[1], NumberStyles.Number, CultureInfo.InvariantCulture))),
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

    private static string RefundKey(Guid returnId, Guid paymentId) => $"return-{returnId:N}-{paymentId:N}";

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
