using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Domain.Partners;

namespace Retail.Modules.Partners.Application.Keys;

/// <summary>The outcome of checking an <c>X-Api-Key</c>.</summary>
public sealed record ApiKeyCheck(AuthOutcome Outcome, Guid? PartnerId, Guid? KeyId, string? KeyPrefix, bool IsSandbox)
{
    public bool Succeeded => Outcome == AuthOutcome.Success;

    /// <summary>
    /// Completes when the attempt's audit row (and the key's last use) is committed; fails if it could not be. The request
    /// must not be answered before: <see cref="ApiKeyAuthenticator.AuthenticateAsync"/> returns as soon as the key is
    /// checked, so the request's own work overlaps the audit's commit instead of waiting for it first.
    /// </summary>
    public Task Audited { get; init; } = Task.CompletedTask;
}

/// <summary>
/// Checks a presented API key (SPEC S1): find the row by its public prefix, compare SHA-256 hashes in constant time,
/// refuse revoked/expired keys and inactive partners, record last use, and audit every attempt, good or bad. The audit
/// row (with the key's last use) is queued on the module's group commit, apart from the request's own context: a request
/// that then fails must neither lose the audit row nor have its unsaved work committed with it. Under load (webhooks at
/// hundreds per second) many requests' audit rows share one transaction instead of queuing for the database's write lock
/// one by one. The check returns without waiting for that commit (<see cref="ApiKeyCheck.Audited"/>, awaited before
/// the answer): a stock webhook's delivery row, queued on the same group commit after it, then usually commits in the
/// same transaction — one commit to wait for per acknowledgement instead of two in a row. The partner is read with the
/// key and kept for the rest of the request (<see cref="AuthenticatedPartner"/>).
/// </summary>
public sealed partial class ApiKeyAuthenticator(
    IPartnersDbContext db, IGroupCommit<IPartnersDbContext> commits, AuthenticatedPartner authenticated, TimeProvider time, ILogger<ApiKeyAuthenticator> logger)
{
    private static readonly string DummyHash = ApiKey.HashOf("rk_none.none");

    public async Task<ApiKeyCheck> AuthenticateAsync(string? presented, string sourceIp, string path, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var check = await CheckAsync(presented, now, cancellationToken);
        var audited = AuditAsync(check, now, sourceIp, path);
        if (check.Succeeded)
        {
            LogAccepted(logger, check.PartnerId, check.KeyPrefix, path);
        }
        else
        {
            LogRefused(logger, check.Outcome, check.KeyPrefix, sourceIp, path);
        }

        return check with { Audited = audited };
    }

    /// <summary>
    /// Queues the audit row at once (the changes are queued before this method first awaits), so it commits no later than
    /// the request's own group commits queued after it; a request that gives up does not withdraw it. A failure is logged
    /// here — a request that was aborted never awaits it — and fails the answer of a request that does.
    /// </summary>
    private async Task AuditAsync(ApiKeyCheck check, DateTimeOffset now, string sourceIp, string path)
    {
        try
        {
            await commits.CommitAsync(async (shared, ct) =>
            {
                shared.AuthAudit.Add(ApiKeyAuditEntry.Record(now, check.PartnerId, check.KeyPrefix, sourceIp, path, check.Outcome));
                if (check.Succeeded && await shared.ApiKeys.FindAsync([check.KeyId!.Value], ct) is { } key)
                {
                    key.MarkUsed(now);
                }
            }, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogAuditFailed(logger, ex, check.Outcome, check.KeyPrefix, path);
            throw;
        }
    }

    private async Task<ApiKeyCheck> CheckAsync(string? presented, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(presented))
        {
            return new ApiKeyCheck(AuthOutcome.MissingKey, null, null, null, false);
        }

        presented = presented.Trim();
        var prefix = presented.Length <= 200 ? ApiKey.PrefixOf(presented) : null;
        // The key and its partner in one query: every partner API call and webhook starts here.
        var found = prefix is null ? null : await db.FindApiKeyAsync(prefix, cancellationToken);
        var key = found?.Key;
        if (key is null)
        {
            // Same work as a real comparison, so an unknown prefix is not faster to find out about.
            _ = System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(ApiKey.HashOf(presented.Length <= 200 ? presented : presented[..200])),
                System.Text.Encoding.ASCII.GetBytes(DummyHash));
            return new ApiKeyCheck(AuthOutcome.UnknownKey, null, null, prefix, false);
        }

        if (!key.Matches(presented))
        {
            return new ApiKeyCheck(AuthOutcome.WrongSecret, key.PartnerId, key.Id, key.Prefix, key.IsSandbox);
        }

        if (key.RevokedAt is not null)
        {
            return new ApiKeyCheck(AuthOutcome.Revoked, key.PartnerId, key.Id, key.Prefix, key.IsSandbox);
        }

        if (!key.IsUsable(now))
        {
            return new ApiKeyCheck(AuthOutcome.Expired, key.PartnerId, key.Id, key.Prefix, key.IsSandbox);
        }

        if (found!.Partner is not { IsActive: true } partner)
        {
            return new ApiKeyCheck(AuthOutcome.PartnerInactive, key.PartnerId, key.Id, key.Prefix, key.IsSandbox);
        }

        authenticated.Partner = partner;
        return new ApiKeyCheck(AuthOutcome.Success, key.PartnerId, key.Id, key.Prefix, key.IsSandbox);
    }

    [LoggerMessage(EventId = 5014, Level = LogLevel.Error, Message = "The audit row of a partner API call ({Outcome}, key {KeyPrefix}, {Path}) could not be committed")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, AuthOutcome outcome, string? keyPrefix, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "API key {KeyPrefix} of partner {PartnerId} accepted for {Path}")]
    private static partial void LogAccepted(ILogger logger, Guid? partnerId, string? keyPrefix, string path);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "Security: partner API call refused ({Outcome}) key {KeyPrefix} from {SourceIp} to {Path}")]
    private static partial void LogRefused(ILogger logger, AuthOutcome outcome, string? keyPrefix, string sourceIp, string path);
}

/// <summary>
/// The partner whose API key authenticated the current request, as the key check read it (one per request scope), so the
/// endpoint behind it does not read the same row again. Null until a key is accepted.
/// </summary>
public sealed class AuthenticatedPartner
{
    public Partner? Partner { get; internal set; }
}
