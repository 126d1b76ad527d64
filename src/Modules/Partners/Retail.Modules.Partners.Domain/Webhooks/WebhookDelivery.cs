using System.Security.Cryptography;
using System.Text;
using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Partners.Domain.Webhooks;

public enum DeliveryStatus
{
    Received = 0,
    Applied = 1,

    /// <summary>An older sequence number than one already applied: nothing changed.</summary>
    IgnoredOutOfOrder = 2,
    Failed = 3,
}

/// <summary>One stock webhook delivery, keyed by the partner's <c>X-Delivery-Id</c> (a repeat changes nothing).</summary>
public sealed class WebhookDelivery : AggregateRoot<Guid>
{
    private WebhookDelivery()
    {
    }

    public Guid PartnerId { get; private set; }

    public string DeliveryId { get; private set; } = "";

    public string Sku { get; private set; } = "";

    public int Quantity { get; private set; }

    public long Sequence { get; private set; }

    public string BodyHash { get; private set; } = "";

    public DeliveryStatus Status { get; private set; }

    public string? Outcome { get; private set; }

    public int? StockAfter { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public DateTimeOffset? ProcessedAt { get; private set; }

    public static WebhookDelivery Receive(Guid partnerId, string deliveryId, string sku, int quantity, long sequence, string bodyHash, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        PartnerId = partnerId,
        DeliveryId = deliveryId,
        Sku = sku,
        Quantity = quantity,
        Sequence = sequence,
        BodyHash = bodyHash,
        Status = DeliveryStatus.Received,
        ReceivedAt = now,
    };

    public bool IsProcessed => Status != DeliveryStatus.Received;

    public void Applied(int stockAfter, DateTimeOffset now)
    {
        Status = DeliveryStatus.Applied;
        StockAfter = stockAfter;
        Outcome = $"Stock of {Sku} set to {stockAfter}.";
        ProcessedAt = now;
        Raise(new DeliveryProcessedDomainEvent(this, now));
    }

    public void IgnoredOutOfOrder(long newerSequence, DateTimeOffset now)
    {
        Status = DeliveryStatus.IgnoredOutOfOrder;
        Outcome = $"Ignored: sequence {Sequence} is older than {newerSequence}, already applied.";
        ProcessedAt = now;
        Raise(new DeliveryProcessedDomainEvent(this, now));
    }

    public void Failed(string reason, DateTimeOffset now)
    {
        Status = DeliveryStatus.Failed;
        Outcome = reason.Length > 500 ? reason[..500] : reason;
        ProcessedAt = now;
        Raise(new DeliveryProcessedDomainEvent(this, now));
    }
}

public sealed record DeliveryProcessedDomainEvent(WebhookDelivery Delivery, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The highest sequence number applied per partner and SKU (out-of-order updates are ignored).</summary>
public sealed class SkuSequence
{
    private SkuSequence()
    {
    }

    public Guid PartnerId { get; private set; }

    public string Sku { get; private set; } = "";

    public long LastSequence { get; private set; }

    public static SkuSequence Start(Guid partnerId, string sku, long sequence) => new() { PartnerId = partnerId, Sku = sku, LastSequence = sequence };

    public bool Accepts(long sequence) => sequence > LastSequence;

    public void Advance(long sequence) => LastSequence = Math.Max(LastSequence, sequence);
}

/// <summary>One attempt to tell the partner's callback URL the outcome of a delivery.</summary>
public sealed class CallbackAttempt
{
    private CallbackAttempt()
    {
    }

    public long Id { get; private set; }

    public Guid DeliveryId { get; private set; }

    public int Attempt { get; private set; }

    public DateTimeOffset At { get; private set; }

    public int? StatusCode { get; private set; }

    public long DurationMs { get; private set; }

    public string? Error { get; private set; }

    public bool Succeeded => StatusCode is >= 200 and < 300;

    public static CallbackAttempt Record(Guid deliveryId, int attempt, DateTimeOffset at, int? statusCode, long durationMs, string? error) => new()
    {
        DeliveryId = deliveryId,
        Attempt = attempt,
        At = at,
        StatusCode = statusCode,
        DurationMs = durationMs,
        Error = error is { Length: > 300 } ? error[..300] : error,
    };
}

/// <summary>HMAC-SHA256 over <c>timestamp.body</c> with the partner's webhook secret, hex; the same both directions.</summary>
public static class WebhookSignature
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var payload = new byte[prefix.Length + body.Length];
        prefix.CopyTo(payload, 0);
        body.CopyTo(payload.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));
    }

    public static bool Verify(string secret, string timestamp, ReadOnlySpan<byte> body, string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        var given = Encoding.ASCII.GetBytes(presented.Trim().ToLowerInvariant().Replace("sha256=", "", StringComparison.Ordinal));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Unix seconds within <see cref="MaxAge"/> of now (either side).</summary>
    public static bool IsFresh(string? timestamp, DateTimeOffset now) =>
        long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        && seconds < 100_000_000_000
        && (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() <= MaxAge;
}
