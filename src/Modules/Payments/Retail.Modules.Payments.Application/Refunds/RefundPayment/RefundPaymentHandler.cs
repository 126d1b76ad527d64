using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Application.Payments;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.Domain.Refunds;
using Retail.Modules.Payments.IntegrationEvents;
using RefundPaymentCommand = Retail.Modules.Payments.IntegrationEvents.RefundPayment;

namespace Retail.Modules.Payments.Application.Refunds.RefundPayment;

/// <summary>
/// Accepts a refund (reserving the amount on the payment and writing the Pending refund in one short transaction), then
/// tries it once through the pipeline. When the provider is down the refund stays Pending and the sweep finishes it.
/// </summary>
public sealed class RefundPaymentHandler(
    IPaymentsDbContext db,
    IPaymentsUnitOfWork unitOfWork,
    RefundAttempts attempts,
    TimeProvider time) : ICommandHandler<RefundPaymentCommand, RefundResult>
{
    public static Error PaymentNotFound(Guid paymentId) => Error.NotFound("payments.payment_not_found", $"No payment {paymentId}.");

    public static Error NotRefundable() => Error.Unprocessable("payments.payment_not_refundable", new OnlySucceededPaymentsCanBeRefundedRule(PaymentStatus.Pending).Message);

    public static Error ExceedsPaid(decimal left) => Error.Unprocessable(
        RefundErrorCodes.ExceedsPaid, $"Refunds cannot exceed the amount paid: {left:0.00} is left to refund.");

    public static Error KeyReused(string key) => Error.Unprocessable(
        "payments.idempotency_key_reused", $"The idempotency key '{key}' was already used for a different refund.");

    public static Error Refused(string? reason) => Error.Unprocessable("payments.refund_refused", $"The provider refused the refund: {reason}");

    public async ValueTask<Result<RefundResult>> Handle(RefundPaymentCommand command, CancellationToken cancellationToken)
    {
        var accepted = await FindOrAcceptAsync(command, cancellationToken);
        if (!accepted.IsSuccess)
        {
            return accepted.Error;
        }

        var refund = accepted.Value.Status == RefundStatus.Pending
            ? await attempts.AttemptAsync(accepted.Value.Id, cancellationToken)
            : accepted.Value;
        return refund.Status switch
        {
            RefundStatus.Succeeded => new RefundResult(refund.Id, refund.PaymentId, refund.Amount, RefundOutcome.Succeeded, PaymentTexts.RefundSucceeded),
            RefundStatus.Pending => new RefundResult(refund.Id, refund.PaymentId, refund.Amount, RefundOutcome.Pending, PaymentTexts.RefundPending),
            _ => Refused(refund.LastError),
        };
    }

    private async Task<Result<Refund>> FindOrAcceptAsync(RefundPaymentCommand command, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(command.IdempotencyKey, cancellationToken);
        if (existing is not null)
        {
            return existing.IsSameRequestAs(command.PaymentId, command.Amount) ? existing : KeyReused(command.IdempotencyKey);
        }

        try
        {
            return await unitOfWork.ExecuteAsync<Result<Refund>>(
                async () =>
                {
                    var payment = await db.Payments.SingleOrDefaultAsync(p => p.Id == command.PaymentId, cancellationToken);
                    if (payment is null)
                    {
                        return PaymentNotFound(command.PaymentId);
                    }

                    // Expected refusals are answers (422), checked before the aggregate whose rules would throw.
                    if (payment.Status != PaymentStatus.Succeeded)
                    {
                        return NotRefundable();
                    }

                    if (new RefundTotalCannotExceedPaidRule(payment.Amount, payment.RefundedAmount, command.Amount).IsBroken())
                    {
                        return ExceedsPaid(payment.RefundableAmount);
                    }

                    var refund = Refund.Request(payment, command.Amount, command.IdempotencyKey, command.Reason, time.GetUtcNow());
                    db.Refunds.Add(refund);
                    return refund;
                },
                r => r.IsSuccess,
                cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Same key inserted concurrently (unique index), or another refund of this payment won the concurrency token:
            // answer from what is now stored.
            existing = await FindAsync(command.IdempotencyKey, cancellationToken);
            if (existing is not null)
            {
                return existing.IsSameRequestAs(command.PaymentId, command.Amount) ? existing : KeyReused(command.IdempotencyKey);
            }

            throw;
        }
    }

    private async Task<Refund?> FindAsync(string key, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Refunds.AsNoTracking().SingleOrDefaultAsync(r => r.IdempotencyKey == key, cancellationToken);
    }
}
