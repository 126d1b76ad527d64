using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Payments.Domain.Payments;

public enum PaymentStatus
{
    /// <summary>Accepted and written down; the provider has not given a final answer yet (never called, or unavailable).</summary>
    Pending,
    Succeeded,
    Declined,

    /// <summary>
    /// Final: the caller gave up on it before the provider answered (its order was cancelled at the payment deadline), so
    /// it is no longer waiting and a later repeat of its key charges nothing.
    /// </summary>
    Abandoned,
}

/// <summary>
/// One charge for one order, identified by the caller's idempotency key. It is written (Pending) before the provider is
/// called, so a crash or an outage in between leaves a row that the same key picks up again instead of charging twice.
/// </summary>
public sealed class Payment : AggregateRoot<Guid>
{
    public const int MaxIdempotencyKeyLength = 100;
    public const int MaxErrorLength = 500;

    private Payment()
    {
    }

    public Guid OrderId { get; private set; }

    public string CustomerId { get; private set; } = "";

    public decimal Amount { get; private set; }

    /// <summary>ISO 4217 code, upper case.</summary>
    public string Currency { get; private set; } = "";

    /// <summary>Code of the payment method (card, paypal, ...).</summary>
    public string Method { get; private set; } = "";

    public string IdempotencyKey { get; private set; } = "";

    public PaymentStatus Status { get; private set; }

    /// <summary>How many times the provider was asked (each through the whole resilience pipeline).</summary>
    public int Attempts { get; private set; }

    public string? ProviderReference { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Sum of refunds accepted so far (pending ones included, so concurrent refunds cannot overshoot).</summary>
    public decimal RefundedAmount { get; private set; }

    /// <summary>Optimistic concurrency token: two writers deciding the same payment at once cannot both win.</summary>
    public int Version { get; private set; }

    public decimal RefundableAmount => Status == PaymentStatus.Succeeded ? Amount - RefundedAmount : 0m;

    public static Payment Start(PaymentRequestDetails request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckRule(new PaymentAmountMustBePositiveRule(request.Amount));
        CheckRule(new CurrencyMustBeIsoCodeRule(request.Currency));
        CheckRule(new IdempotencyKeyMustBePresentRule(request.IdempotencyKey));
        return new Payment
        {
            Id = Guid.NewGuid(),
            OrderId = request.OrderId,
            CustomerId = request.CustomerId,
            Amount = request.Amount,
            Currency = request.Currency.ToUpperInvariant(),
            Method = request.Method,
            IdempotencyKey = request.IdempotencyKey,
            Status = PaymentStatus.Pending,
            CreatedAt = now,
        };
    }

    /// <summary>True when a repeated request under the same key asks for the same charge (otherwise it is a misuse of the key).</summary>
    public bool IsSameRequestAs(PaymentRequestDetails request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return OrderId == request.OrderId
            && string.Equals(CustomerId, request.CustomerId, StringComparison.Ordinal)
            && Amount == request.Amount
            && string.Equals(Currency, request.Currency, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Method, request.Method, StringComparison.Ordinal);
    }

    /// <summary>The provider could not be reached (breaker open, retries exhausted): stays Pending for a later try.</summary>
    public void RecordUnavailable(string error)
    {
        CheckRule(new OnlyPendingPaymentsCanBeDecidedRule(Status));
        Attempts++;
        LastError = Truncate(error);
        Version++;
    }

    public void MarkSucceeded(string providerReference, DateTimeOffset now)
    {
        CheckRule(new OnlyPendingPaymentsCanBeDecidedRule(Status));
        Attempts++;
        Status = PaymentStatus.Succeeded;
        ProviderReference = providerReference;
        LastError = null;
        CompletedAt = now;
        Version++;
        Raise(new PaymentSucceededDomainEvent(Id, OrderId, CustomerId, Amount, Currency, Method, providerReference, now));
    }

    public void MarkDeclined(string reason, DateTimeOffset now)
    {
        CheckRule(new OnlyPendingPaymentsCanBeDecidedRule(Status));
        Attempts++;
        Status = PaymentStatus.Declined;
        LastError = Truncate(reason);
        CompletedAt = now;
        Version++;
        Raise(new PaymentDeclinedDomainEvent(Id, OrderId, CustomerId, Amount, Currency, Method, LastError, now));
    }

    /// <summary>The caller will never complete this payment (see <see cref="PaymentStatus.Abandoned"/>).</summary>
    public void Abandon(string reason, DateTimeOffset now)
    {
        CheckRule(new OnlyPendingPaymentsCanBeDecidedRule(Status));
        Status = PaymentStatus.Abandoned;
        LastError = Truncate(reason);
        CompletedAt = now;
        Version++;
    }

    /// <summary>Reserves <paramref name="amount"/> of the paid sum for a refund; the total never exceeds what was paid.</summary>
    public void ReserveRefund(decimal amount)
    {
        CheckRule(new OnlySucceededPaymentsCanBeRefundedRule(Status));
        CheckRule(new RefundAmountMustBePositiveRule(amount));
        CheckRule(new RefundTotalCannotExceedPaidRule(Amount, RefundedAmount, amount));
        RefundedAmount += amount;
        Version++;
    }

    /// <summary>Gives back a reservation whose refund the provider finally refused.</summary>
    public void ReleaseRefund(decimal amount)
    {
        CheckRule(new RefundAmountMustBePositiveRule(amount));
        RefundedAmount = Math.Max(0m, RefundedAmount - amount);
        Version++;
    }

    private static string Truncate(string text) =>
        text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
}

/// <summary>What a caller asks to be charged; also what a repeated key must match.</summary>
public sealed record PaymentRequestDetails(Guid OrderId, string CustomerId, decimal Amount, string Currency, string Method, string IdempotencyKey);

public sealed record PaymentSucceededDomainEvent(
    Guid PaymentId, Guid OrderId, string CustomerId, decimal Amount, string Currency, string Method, string ProviderReference, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record PaymentDeclinedDomainEvent(
    Guid PaymentId, Guid OrderId, string CustomerId, decimal Amount, string Currency, string Method, string Reason, DateTimeOffset OccurredAt) : IDomainEvent;
