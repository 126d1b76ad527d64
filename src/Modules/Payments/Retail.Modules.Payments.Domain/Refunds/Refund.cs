using Retail.BuildingBlocks.Domain;
using Retail.Modules.Payments.Domain.Payments;

namespace Retail.Modules.Payments.Domain.Refunds;

public enum RefundStatus
{
    /// <summary>Accepted (the amount is reserved on the payment); the provider has not confirmed it yet. A job retries it.</summary>
    Pending,
    Succeeded,

    /// <summary>The provider refused it for good; the reservation is released.</summary>
    Failed,
}

/// <summary>
/// Money going back for one payment. The row is the truth of the work: a Pending refund survives restarts and is
/// completed by the sweep, and its idempotency key stops the provider from paying it out twice.
/// </summary>
public sealed class Refund : AggregateRoot<Guid>
{
    public const int MaxReasonLength = 200;

    private Refund()
    {
    }

    public Guid PaymentId { get; private set; }

    public Guid OrderId { get; private set; }

    public string CustomerId { get; private set; } = "";

    public string Currency { get; private set; } = "";

    public decimal Amount { get; private set; }

    public string IdempotencyKey { get; private set; } = "";

    public string Reason { get; private set; } = "";

    public RefundStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public int Version { get; private set; }

    /// <summary>Reserves the amount on the payment (which enforces the refund rules) and records the refund as Pending.</summary>
    public static Refund Request(Payment payment, decimal amount, string idempotencyKey, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        CheckRule(new IdempotencyKeyMustBePresentRule(idempotencyKey));
        payment.ReserveRefund(amount);
        var text = (reason ?? "").Trim();
        return new Refund
        {
            Id = Guid.NewGuid(),
            PaymentId = payment.Id,
            OrderId = payment.OrderId,
            CustomerId = payment.CustomerId,
            Currency = payment.Currency,
            Amount = amount,
            IdempotencyKey = idempotencyKey,
            Reason = text.Length <= MaxReasonLength ? text : text[..MaxReasonLength],
            Status = RefundStatus.Pending,
            CreatedAt = now,
        };
    }

    public bool IsSameRequestAs(Guid paymentId, decimal amount) => PaymentId == paymentId && Amount == amount;

    public void RecordUnavailable(string error)
    {
        CheckRule(new OnlyPendingRefundsCanBeDecidedRule(Status));
        Attempts++;
        LastError = error.Length <= Payment.MaxErrorLength ? error : error[..Payment.MaxErrorLength];
        Version++;
    }

    public void MarkSucceeded(DateTimeOffset now)
    {
        CheckRule(new OnlyPendingRefundsCanBeDecidedRule(Status));
        Attempts++;
        Status = RefundStatus.Succeeded;
        LastError = null;
        CompletedAt = now;
        Version++;
        Raise(new RefundSucceededDomainEvent(Id, PaymentId, OrderId, CustomerId, Amount, Currency, Reason, now));
    }

    /// <summary>Final refusal; the caller releases the reservation on the payment in the same transaction.</summary>
    public void MarkFailed(string reason, Payment payment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        CheckRule(new OnlyPendingRefundsCanBeDecidedRule(Status));
        Attempts++;
        Status = RefundStatus.Failed;
        LastError = reason.Length <= Payment.MaxErrorLength ? reason : reason[..Payment.MaxErrorLength];
        CompletedAt = now;
        Version++;
        payment.ReleaseRefund(Amount);
    }
}

public sealed class OnlyPendingRefundsCanBeDecidedRule(RefundStatus status) : IBusinessRule
{
    public bool IsBroken() => status != RefundStatus.Pending;

    public string Message => $"A {status.ToString().ToLowerInvariant()} refund is final and cannot change its outcome.";
}

public sealed record RefundSucceededDomainEvent(
    Guid RefundId, Guid PaymentId, Guid OrderId, string CustomerId, decimal Amount, string Currency, string Reason, DateTimeOffset OccurredAt) : IDomainEvent;
