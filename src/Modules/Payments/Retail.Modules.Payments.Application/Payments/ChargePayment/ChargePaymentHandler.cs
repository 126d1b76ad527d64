using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Application.PaymentMethods;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.IntegrationEvents;
using ChargePaymentCommand = Retail.Modules.Payments.IntegrationEvents.ChargePayment;

namespace Retail.Modules.Payments.Application.Payments.ChargePayment;

/// <summary>
/// Charges in three steps so no transaction is open while the provider answers (ADR 0004): (1) find the payment by its
/// idempotency key or write it as Pending and commit; (2) call the method through the resilience pipeline; (3) record
/// the outcome and its outbox event in a second short transaction. A crash between (1) and (3) leaves a Pending row
/// that the same key resumes; the provider's own idempotency on the key means the resumed call cannot charge twice.
/// </summary>
public sealed class ChargePaymentHandler(
    IPaymentsDbContext db,
    IPaymentsUnitOfWork unitOfWork,
    PaymentMethodRegistry methods,
    IResilientPaymentExecutor executor,
    TimeProvider time,
    ILogger<ChargePaymentHandler> logger) : ICommandHandler<ChargePaymentCommand, PaymentResult>
{
    public static Error KeyReused(string key) => Error.Unprocessable(
        "payments.idempotency_key_reused", $"The idempotency key '{key}' was already used for a different payment.");

    public static Error UnknownMethod(string method) => Error.Validation(new Dictionary<string, string[]>
    {
        [nameof(ChargePaymentCommand.Method)] = [$"There is no payment method '{method}'."],
    });

    public async ValueTask<Result<PaymentResult>> Handle(ChargePaymentCommand command, CancellationToken cancellationToken)
    {
        if (methods.Find(command.Method) is not { } method)
        {
            return UnknownMethod(command.Method);
        }

        var request = new PaymentRequestDetails(command.OrderId, command.CustomerId.Trim(), command.Amount, command.Currency.ToUpperInvariant(), method.Code, command.IdempotencyKey);
        var started = await FindOrStartAsync(request, cancellationToken);
        if (!started.IsSuccess)
        {
            return started.Error;
        }

        var payment = started.Value;
        if (payment.Status != PaymentStatus.Pending)
        {
            return ResultOf(payment);
        }

        var charge = new PaymentMethodCharge(payment.Id, payment.OrderId, payment.CustomerId, payment.Amount, payment.Currency, payment.IdempotencyKey, ChargePaymentValidator.DetailsOf(command));
        var outcome = await executor.ChargeAsync(method, charge, cancellationToken);
        var recorded = await RecordAsync(payment.Id, outcome, cancellationToken);
        logger.LogInformation(
            "Payment {PaymentId} for order {OrderId} via {Method}: {Outcome} after attempt {Attempts} ({Reason})",
            recorded.Id, recorded.OrderId, recorded.Method, recorded.Status, recorded.Attempts, outcome.Reason ?? outcome.ProviderReference);
        return ResultOf(recorded);
    }

    private async Task<Result<Payment>> FindOrStartAsync(PaymentRequestDetails request, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(request.IdempotencyKey, cancellationToken);
        if (existing is null)
        {
            var payment = Payment.Start(request, time.GetUtcNow());
            try
            {
                await unitOfWork.ExecuteAsync(
                    () =>
                    {
                        db.Payments.Add(payment);
                        return Task.FromResult(true);
                    },
                    _ => true,
                    cancellationToken);
                return payment;
            }
            catch (DbUpdateException)
            {
                // A concurrent request with the same key inserted first (unique index): continue with its row.
                existing = await FindAsync(request.IdempotencyKey, cancellationToken)
                    ?? throw new InvalidOperationException("Payment vanished after a duplicate-key failure.");
            }
        }

        return existing.IsSameRequestAs(request) ? existing : KeyReused(request.IdempotencyKey);
    }

    private async Task<Payment> RecordAsync(Guid paymentId, ProviderOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            return await unitOfWork.ExecuteAsync(
                async () =>
                {
                    db.ChangeTracker.Clear();
                    var payment = await db.Payments.SingleAsync(p => p.Id == paymentId, cancellationToken);
                    if (payment.Status != PaymentStatus.Pending)
                    {
                        // Someone else (a concurrent repeat of the key) decided it first; theirs stands.
                        return payment;
                    }

                    var now = time.GetUtcNow();
                    switch (outcome.Kind)
                    {
                        case ProviderOutcomeKind.Succeeded:
                            payment.MarkSucceeded(outcome.ProviderReference ?? "", now);
                            break;
                        case ProviderOutcomeKind.Declined:
                            payment.MarkDeclined(outcome.Reason ?? "declined", now);
                            break;
                        default:
                            payment.RecordUnavailable(outcome.Reason ?? "unavailable");
                            break;
                    }

                    return payment;
                },
                _ => true,
                cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Lost the race to record an outcome: answer with the winner's.
            db.ChangeTracker.Clear();
            return await db.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId, cancellationToken);
        }
    }

    private async Task<Payment?> FindAsync(string key, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.IdempotencyKey == key, cancellationToken);
    }

    private static PaymentResult ResultOf(Payment payment) => payment.Status switch
    {
        PaymentStatus.Succeeded => new PaymentResult(payment.Id, PaymentOutcome.Succeeded, payment.ProviderReference, PaymentTexts.Succeeded),
        PaymentStatus.Declined or PaymentStatus.Abandoned => new PaymentResult(payment.Id, PaymentOutcome.Declined, null, PaymentTexts.Declined),
        _ => new PaymentResult(payment.Id, PaymentOutcome.Unavailable, null, PaymentTexts.Unavailable),
    };
}
