using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Domain.Orders;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Ordering.Application.Orders.Payments;

public enum OrderPaymentProgress
{
    Paid,

    /// <summary>The provider refused the payment for good; the order is cancelled and its stock released.</summary>
    Declined,

    /// <summary>The provider is unavailable; the order stays PaymentPending with its stock held.</summary>
    Pending,

    /// <summary>Not paid by its deadline, or already cancelled; stock released.</summary>
    Cancelled,

    /// <summary>Already paid (or further) before this attempt.</summary>
    AlreadyDone,
}

/// <summary>
/// Pays a PaymentPending order: the store-credit part first, then the rest with the chosen method, each through
/// Payments' <see cref="ChargePayment"/> with a key derived from the order's payment key (so a retry by the
/// <c>ordering-payment-retry</c> job never charges twice). No transaction is open while Payments works; each outcome is
/// recorded in its own short transaction, and the order's version token makes a concurrent second recorder lose.
/// Used by checkout (first attempt) and by the retry job (later attempts) alike.
/// </summary>
public sealed class OrderPaymentProcessor(
    IOrderingDbContext db,
    IOrderingUnitOfWork unitOfWork,
    IRequestSender sender,
    IPaymentDetailsProtector protector,
    TimeProvider time,
    ILogger<OrderPaymentProcessor> logger)
{
    public const string StoreCreditMethod = "store-credit";
    public const string DeadlineReason = "Payment was not completed in time.";
    public const string DeclinedReason = "Payment was declined.";

    public Task<OrderPaymentProgress> ProcessAsync(Guid orderId, CancellationToken cancellationToken) =>
        ProcessAsync(orderId, attemptRecorded: false, whenPaid: null, cancellationToken);

    /// <param name="attemptRecorded">This attempt was already counted in the transaction that stored the order (checkout).</param>
    /// <param name="whenPaid">
    /// Runs inside the transaction that marks the order paid (checkout completes its idempotency record there). Answered
    /// <see cref="OrderPaymentProgress.Paid"/> only when that transaction committed, <see cref="OrderPaymentProgress.AlreadyDone"/>
    /// when someone else decided the order first.
    /// </param>
    public async Task<OrderPaymentProgress> ProcessAsync(Guid orderId, bool attemptRecorded, Func<CancellationToken, Task>? whenPaid, CancellationToken cancellationToken)
    {
        var order = await LoadAsync(orderId, cancellationToken);
        if (order is null || order.Status is OrderStatus.Paid or OrderStatus.Shipped or OrderStatus.Delivered)
        {
            return OrderPaymentProgress.AlreadyDone;
        }

        if (order.Status == OrderStatus.Cancelled)
        {
            await FinishCancellationAsync(order, cancellationToken);
            return OrderPaymentProgress.Cancelled;
        }

        if (order.IsPastPaymentDeadline(time.GetUtcNow()))
        {
            if (await SettleChargesAtDeadlineAsync(order, cancellationToken) is { } paidBeforeDeadline)
            {
                var paidAt = time.GetUtcNow();
                var recorded = await UpdateAsync(order.Id, o => o.MarkPaid(paidBeforeDeadline, paidAt), cancellationToken, alsoInTransaction: whenPaid);
                if (recorded is null)
                {
                    return OrderPaymentProgress.AlreadyDone;
                }

                logger.LogInformation("Order {OrderNumber} ({OrderId}) paid: its charge went through before the deadline but was recorded only now", order.Number, order.Id);
                return OrderPaymentProgress.Paid;
            }

            await CancelAsync(order.Id, DeadlineReason, cancellationToken);
            return OrderPaymentProgress.Cancelled;
        }

        if (!attemptRecorded)
        {
            await UpdateAsync(order.Id, o => o.RecordPaymentAttempt(), cancellationToken);
        }

        if (order.StoreCreditAmount > 0 && order.StoreCreditPaymentId is null)
        {
            var credit = await ChargeAsync(order, StoreCreditMethod, order.StoreCreditAmount, null, cancellationToken);
            switch (credit?.Outcome)
            {
                case PaymentOutcome.Succeeded:
                    await UpdateAsync(order.Id, o => o.RecordStoreCreditPaid(credit.PaymentId), cancellationToken);
                    break;
                case PaymentOutcome.Unavailable:
                    return OrderPaymentProgress.Pending;
                default:
                    await CancelAsync(order.Id, DeclinedReason, cancellationToken);
                    return OrderPaymentProgress.Declined;
            }

            order = await LoadAsync(orderId, cancellationToken) ?? order;
        }

        Guid? paymentId = order.StoreCreditPaymentId;
        if (order.AmountDueByMethod > 0)
        {
            var details = protector.Unprotect(order.ProtectedPaymentDetails);
            var charge = await ChargeAsync(order, order.PaymentMethod, order.AmountDueByMethod, details, cancellationToken);
            switch (charge?.Outcome)
            {
                case PaymentOutcome.Succeeded:
                    paymentId = charge.PaymentId;
                    break;
                case PaymentOutcome.Unavailable:
                    return OrderPaymentProgress.Pending;
                default:
                    await CancelAsync(order.Id, DeclinedReason, cancellationToken);
                    return OrderPaymentProgress.Declined;
            }
        }

        var now = time.GetUtcNow();
        var paid = await UpdateAsync(order.Id, o => o.MarkPaid(paymentId, now), cancellationToken, alsoInTransaction: whenPaid);
        if (paid is null && whenPaid is not null)
        {
            // Decided elsewhere first (a concurrent attempt or the deadline job): the caller's work did not commit.
            return OrderPaymentProgress.AlreadyDone;
        }

        logger.LogInformation("Order {OrderNumber} ({OrderId}) paid", order.Number, order.Id);
        return OrderPaymentProgress.Paid;
    }

    /// <summary>
    /// Before a deadline cancellation, tells Payments to abandon each charge of the order that may still be waiting
    /// (<see cref="AbandonPayment"/>): left alone it stayed Pending for good, so "Payments pending" on /admin/payments
    /// only ever went up, and a late repeat of its key could still charge a cancelled order. A charge that went through
    /// without Ordering having recorded it (the process died in between) comes back as succeeded: a store-credit one is
    /// recorded on the order first, so the cancellation refunds it — the customer's credit used to be lost — and when the
    /// method's charge went through too, the order was paid in time (the cancellation kept the customer's money and sent
    /// nothing) and that payment's id is returned. Only the retry job gets here (checkout's own attempt is long before the
    /// deadline), so checkout reads nothing more.
    /// </summary>
    private async Task<Guid?> SettleChargesAtDeadlineAsync(Order order, CancellationToken cancellationToken)
    {
        var creditPayment = order.StoreCreditPaymentId;
        if (order.StoreCreditAmount > 0 && creditPayment is null)
        {
            var credit = await AbandonAsync(order, StoreCreditMethod, cancellationToken);
            if (credit is { Outcome: AbandonOutcome.AlreadySucceeded, PaymentId: { } taken })
            {
                await UpdateAsync(order.Id, o => o.RecordStoreCreditPaid(taken), cancellationToken);
                creditPayment = taken;
            }
        }

        if (order.AmountDueByMethod <= 0)
        {
            // Paid by store credit alone: the order is paid exactly when that charge went through.
            return creditPayment;
        }

        var charge = await AbandonAsync(order, order.PaymentMethod, cancellationToken);
        return charge is { Outcome: AbandonOutcome.AlreadySucceeded, PaymentId: { } paid } && (order.StoreCreditAmount == 0 || creditPayment is not null) ? paid : null;
    }

    private async Task<AbandonPaymentResult?> AbandonAsync(Order order, string method, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new AbandonPayment($"{order.PaymentKey}:{method}", DeadlineReason), cancellationToken);
        if (!result.IsSuccess)
        {
            logger.LogWarning("Charge of order {OrderId} via {Method} could not be abandoned: {Error}", order.Id, method, result.Error.Code);
            return null;
        }

        return result.Value;
    }

    /// <summary>Cancels a PaymentPending order, gives back store credit already taken, and releases its stock.</summary>
    public async Task CancelAsync(Guid orderId, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var order = await UpdateAsync(orderId, o => o.Cancel(reason, now), cancellationToken);
        if (order is null)
        {
            return;
        }

        logger.LogInformation("Order {OrderNumber} ({OrderId}) cancelled: {Reason}", order.Number, order.Id, reason);
        await FinishCancellationAsync(order, cancellationToken);
    }

    /// <summary>
    /// Gives back the store credit a cancelled order took, then releases its stock. Until the stock is released the retry
    /// job comes back here, so a cancellation cut short (a crash right after it committed) still returns the credit: the
    /// sweep used to finish only the stock release, and the customer's credit was gone. The refund key is the order's, so
    /// sending it again never refunds twice.
    /// </summary>
    private async Task FinishCancellationAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.StockReleasedAt is not null)
        {
            return;
        }

        if (order.StoreCreditPaymentId is { } creditPayment)
        {
            var refund = await sender.Send(new RefundPayment(creditPayment, order.StoreCreditAmount, order.PaymentKey + ":store-credit-refund", "order cancelled"), cancellationToken);
            if (!refund.IsSuccess)
            {
                logger.LogWarning("Store credit of cancelled order {OrderId} could not be refunded: {Error}", order.Id, refund.Error.Code);
            }
        }

        var released = await sender.Send(new ReleaseStock(order.Id, order.CancelReason ?? "order cancelled"), cancellationToken);
        if (released.IsSuccess)
        {
            var now = time.GetUtcNow();
            await UpdateAsync(order.Id, o => o.MarkStockReleased(now), cancellationToken, onlyWhile: OrderStatus.Cancelled);
        }
        else
        {
            logger.LogWarning("Stock of cancelled order {OrderId} not released yet: {Error}", order.Id, released.Error.Code);
        }
    }

    private async Task<PaymentResult?> ChargeAsync(Order order, string method, decimal amount, IReadOnlyDictionary<string, string>? details, CancellationToken cancellationToken)
    {
        var result = await sender.Send(
            new ChargePayment(order.Id, order.CustomerId, amount, order.Currency, method, $"{order.PaymentKey}:{method}", details),
            cancellationToken);
        if (!result.IsSuccess)
        {
            logger.LogWarning("Charge of order {OrderId} via {Method} refused: {Error}", order.Id, method, result.Error.Code);
            return null;
        }

        return result.Value;
    }

    private async Task<Order?> LoadAsync(Guid orderId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Orders.AsNoTracking().Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken);
    }

    /// <summary>
    /// Applies one change in a short transaction of its own. When the order is no longer PaymentPending (someone else
    /// decided first) nothing is applied and null is returned; a lost race on the version token re-reads and tries again.
    /// </summary>
    private async Task<Order?> UpdateAsync(
        Guid orderId, Action<Order> change, CancellationToken cancellationToken, OrderStatus onlyWhile = OrderStatus.PaymentPending, Func<CancellationToken, Task>? alsoInTransaction = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await unitOfWork.ExecuteAsync(
                    async () =>
                    {
                        db.ChangeTracker.Clear();
                        var order = await db.Orders.Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken);
                        if (order is null || order.Status != onlyWhile)
                        {
                            return null;
                        }

                        change(order);
                        if (alsoInTransaction is not null)
                        {
                            await alsoInTransaction(cancellationToken);
                        }

                        return order;
                    },
                    _ => true,
                    cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
