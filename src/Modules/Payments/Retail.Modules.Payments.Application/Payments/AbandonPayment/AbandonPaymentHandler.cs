using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Application.StoreCredit;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.IntegrationEvents;
using AbandonPaymentCommand = Retail.Modules.Payments.IntegrationEvents.AbandonPayment;

namespace Retail.Modules.Payments.Application.Payments.AbandonPayment;

/// <summary>
/// Ends a charge its caller gave up on, in one short transaction. Payments written Pending before an outage used to stay
/// Pending for good once their order was cancelled, so the pending count on <c>/admin/payments</c> only ever went up.
/// </summary>
public sealed class AbandonPaymentHandler(
    IPaymentsDbContext db,
    IPaymentsUnitOfWork unitOfWork,
    StoreCreditLedger ledger,
    TimeProvider time) : ICommandHandler<AbandonPaymentCommand, AbandonPaymentResult>
{
    public async ValueTask<Result<AbandonPaymentResult>> Handle(AbandonPaymentCommand command, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await unitOfWork.ExecuteAsync(() => AbandonAsync(command, cancellationToken), _ => true, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // A concurrent charge recorded its outcome first: read it again and answer from that.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<AbandonPaymentResult> AbandonAsync(AbandonPaymentCommand command, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var payment = await db.Payments.SingleOrDefaultAsync(p => p.IdempotencyKey == command.IdempotencyKey, cancellationToken);
        if (payment is null)
        {
            return new AbandonPaymentResult(AbandonOutcome.NotFound, null);
        }

        if (payment.Status == PaymentStatus.Pending)
        {
            // A store-credit debit commits on its own before the payment records its outcome; a crash in between leaves
            // the credit taken under a Pending payment. Abandoning that would lose the credit, so it is recorded as what
            // it is — succeeded — and the caller refunds it.
            if (await ledger.FindChargeAsync(payment.IdempotencyKey, cancellationToken) is { } debit)
            {
                payment.MarkSucceeded("store-credit:" + debit.Id, time.GetUtcNow());
            }
            else
            {
                payment.Abandon(command.Reason, time.GetUtcNow());
            }
        }

        return payment.Status switch
        {
            PaymentStatus.Succeeded => new AbandonPaymentResult(AbandonOutcome.AlreadySucceeded, payment.Id),
            PaymentStatus.Declined => new AbandonPaymentResult(AbandonOutcome.Declined, payment.Id),
            _ => new AbandonPaymentResult(AbandonOutcome.Abandoned, payment.Id),
        };
    }
}
