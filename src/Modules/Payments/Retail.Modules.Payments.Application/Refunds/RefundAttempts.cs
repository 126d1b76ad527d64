using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Application.PaymentMethods;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.Domain.Refunds;

namespace Retail.Modules.Payments.Application.Refunds;

/// <summary>
/// One try at paying out a Pending refund: the provider is called outside any transaction, the outcome is recorded
/// in a short one. Shared by the refund command and the refund sweep, so both behave the same. Exactly once comes from
/// two sides: the method's idempotency on the refund key (the provider pays once) and the row's concurrency token
/// (only one writer records the outcome and its RefundIssued event).
/// </summary>
public sealed class RefundAttempts(
    IPaymentsDbContext db,
    IPaymentsUnitOfWork unitOfWork,
    PaymentMethodRegistry methods,
    IResilientPaymentExecutor executor,
    TimeProvider time,
    ILogger<RefundAttempts> logger)
{
    public async Task<Refund> AttemptAsync(Guid refundId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var refund = await db.Refunds.AsNoTracking().SingleAsync(r => r.Id == refundId, cancellationToken);
        if (refund.Status != RefundStatus.Pending)
        {
            return refund;
        }

        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == refund.PaymentId, cancellationToken);
        var outcome = methods.Find(payment.Method) is { } method
            ? await executor.RefundAsync(method, new PaymentMethodRefund(refund.Id, payment.Id, payment.CustomerId, refund.Amount, payment.Currency, payment.ProviderReference, refund.IdempotencyKey, refund.Reason), cancellationToken)
            : ProviderOutcome.Unavailable($"Payment method '{payment.Method}' is not registered.");

        var recorded = await RecordAsync(refundId, outcome, cancellationToken);
        logger.LogInformation(
            "Refund {RefundId} of payment {PaymentId} ({Amount}): {Outcome} after attempt {Attempts} ({Reason})",
            recorded.Id, recorded.PaymentId, recorded.Amount, recorded.Status, recorded.Attempts, outcome.Reason ?? outcome.ProviderReference);
        return recorded;
    }

    private async Task<Refund> RecordAsync(Guid refundId, ProviderOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            return await unitOfWork.ExecuteAsync(
                async () =>
                {
                    db.ChangeTracker.Clear();
                    var refund = await db.Refunds.SingleAsync(r => r.Id == refundId, cancellationToken);
                    if (refund.Status != RefundStatus.Pending)
                    {
                        return refund;
                    }

                    switch (outcome.Kind)
                    {
                        case ProviderOutcomeKind.Succeeded:
                            refund.MarkSucceeded(time.GetUtcNow());
                            break;
                        case ProviderOutcomeKind.Declined:
                            var payment = await db.Payments.SingleAsync(p => p.Id == refund.PaymentId, cancellationToken);
                            refund.MarkFailed(outcome.Reason ?? "refused", payment, time.GetUtcNow());
                            break;
                        default:
                            refund.RecordUnavailable(outcome.Reason ?? "unavailable");
                            break;
                    }

                    return refund;
                },
                _ => true,
                cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return await db.Refunds.AsNoTracking().SingleAsync(r => r.Id == refundId, cancellationToken);
        }
    }
}
