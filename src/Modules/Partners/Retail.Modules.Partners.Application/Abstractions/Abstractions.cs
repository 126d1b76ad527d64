using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Partners.Domain.Feeds;
using Retail.Modules.Partners.Domain.Partners;
using Retail.Modules.Partners.Domain.Schedules;
using Retail.Modules.Partners.Domain.Webhooks;

namespace Retail.Modules.Partners.Application.Abstractions;

/// <summary>The Partners tables as its handlers see them.</summary>
public interface IPartnersDbContext : IModuleDbContext
{
    DbSet<Partner> Partners { get; }

    DbSet<PartnerUser> PartnerUsers { get; }

    DbSet<ApiKey> ApiKeys { get; }

    DbSet<ApiKeyAuditEntry> AuthAudit { get; }

    DbSet<FeedJob> FeedJobs { get; }

    DbSet<FeedRowError> FeedRowErrors { get; }

    DbSet<WebhookDelivery> WebhookDeliveries { get; }

    DbSet<SkuSequence> SkuSequences { get; }

    DbSet<CallbackAttempt> CallbackAttempts { get; }

    DbSet<FeedSchedule> FeedSchedules { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>The API key with this public prefix and its partner (null if none), untracked: every partner call starts here.</summary>
    Task<ApiKeyWithPartner?> FindApiKeyAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>The partner, untracked; null when there is none.</summary>
    Task<Partner?> FindPartnerAsync(Guid partnerId, CancellationToken cancellationToken);

    /// <summary>The partner's webhook delivery with this X-Delivery-Id, untracked (every webhook's repeat check).</summary>
    Task<WebhookDelivery?> FindDeliveryAsync(Guid partnerId, string deliveryId, CancellationToken cancellationToken);
}

/// <summary>An API key and its partner, read together.</summary>
public sealed record ApiKeyWithPartner(ApiKey Key, Partner? Partner);

/// <summary>Where received feed files are kept until their job ends (outside the web root).</summary>
public interface IFeedStorage
{
    /// <summary>Copies at most <paramref name="maxBytes"/> from the source while hashing; null when the limit is exceeded.</summary>
    Task<StoredFeed?> SaveAsync(Stream source, long maxBytes, CancellationToken cancellationToken);

    Stream Open(string contentHash);

    void Delete(string contentHash);
}

public sealed record StoredFeed(string ContentHash, long SizeBytes);

/// <summary>Runs feed jobs in the background (Hangfire).</summary>
public interface IFeedJobQueue
{
    void Enqueue(Guid jobId);
}

/// <summary>Wakes the in-process worker that applies received stock webhooks.</summary>
public interface IWebhookWorkQueue
{
    void Nudge(Guid deliveryId);
}

/// <summary>Observes committed feed batches (tests use it to stop a job mid-way); the default does nothing.</summary>
public interface IFeedJobObserver
{
    Task BatchCommittedAsync(Guid jobId, int rowsCommitted, CancellationToken cancellationToken);
}

public sealed class NoFeedJobObserver : IFeedJobObserver
{
    public Task BatchCommittedAsync(Guid jobId, int rowsCommitted, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>One HTTP attempt of an outcome callback.</summary>
public sealed record CallbackAttemptResult(DateTimeOffset At, int? StatusCode, long DurationMs, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Posts a signed outcome to a partner's callback URL through the module's resilience pipeline (retries with exponential
/// backoff); <paramref name="sign"/> gives the X-Timestamp and X-Signature of each attempt. Returns every attempt.
/// </summary>
public interface ICallbackClient
{
    Task<IReadOnlyList<CallbackAttemptResult>> DeliverAsync(string url, Func<(string Timestamp, string Signature)> sign, byte[] body, CancellationToken cancellationToken);
}

/// <summary>Fetches a scheduled feed URL into storage.</summary>
public interface IFeedFetcher
{
    Task<(StoredFeed? Feed, string? ContentType)> FetchAsync(string url, long maxBytes, CancellationToken cancellationToken);
}

/// <summary>
/// Keeps partner webhook secrets unreadable at rest (ASP.NET Data Protection in Infrastructure, purpose
/// <c>Retail.Partners.WebhookSecret.v1</c>, the key ring shared through Redis when configured). The stored form carries
/// <see cref="WebhookSecretFormat.ProtectedMarker"/>; a stored value without it is a legacy plain secret from before encryption, still
/// accepted and re-protected on first use or by the startup step.
/// </summary>
public interface IWebhookSecretProtector
{
    /// <summary>The form to store: <see cref="WebhookSecretFormat.ProtectedMarker"/> followed by the protected payload.</summary>
    string Protect(string secret);

    /// <summary>Reads a stored value: the secret, whether it was legacy plain text, or unreadable (tampered, unknown key).</summary>
    WebhookSecretReading Unprotect(string stored);
}

/// <summary>The result of reading a stored webhook secret; <see cref="Secret"/> is null when it cannot be read.</summary>
public readonly record struct WebhookSecretReading(string? Secret, bool IsLegacyPlainText, string? Failure)
{
    public bool IsReadable => Secret is not null;

    public static WebhookSecretReading Protected(string secret) => new(secret, false, null);

    public static WebhookSecretReading Legacy(string secret) => new(secret, true, null);

    public static WebhookSecretReading Unreadable(string failure) => new(null, false, failure);
}

/// <summary>How a stored webhook secret tells protected from legacy plain text.</summary>
public static class WebhookSecretFormat
{
    /// <summary>The prefix of every protected value (then the Data Protection payload, base64url, never a ':').</summary>
    public const string ProtectedMarker = "dp1:";

    /// <summary>Plain secrets are 64 lowercase hex characters, so they can never start with the marker.</summary>
    public static bool IsProtected(string stored) => stored.StartsWith(ProtectedMarker, StringComparison.Ordinal);
}
