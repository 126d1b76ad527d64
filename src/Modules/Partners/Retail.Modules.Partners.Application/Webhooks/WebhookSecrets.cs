using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Domain.Partners;

namespace Retail.Modules.Partners.Application.Webhooks;

/// <summary>
/// The only way to a partner's plain webhook secret: issues new secrets (stored protected), reads stored ones through
/// <see cref="IWebhookSecretProtector"/> and re-protects a legacy plain value the first time it is read. A value that
/// cannot be read (tampered, or protected with a key this key ring does not hold) is logged and reported as null, so
/// callers fail closed.
/// </summary>
public sealed partial class WebhookSecrets(IPartnersDbContext db, IWebhookSecretProtector protector, ILogger<WebhookSecrets> logger)
{
    /// <summary>A new random secret (32 bytes, 64 hex characters) and its protected form to store.</summary>
    public (string Plain, string Protected) Issue()
    {
        var plain = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return (plain, protector.Protect(plain));
    }

    /// <summary>
    /// Rotates the partner's secret and returns the new plain one (to show once). With a positive overlap the current
    /// secret stays accepted on incoming webhooks until then, stored re-protected (so a legacy plain value never moves to
    /// the previous-secret column as plain text); an unreadable current secret is simply dropped.
    /// </summary>
    public string Rotate(Partner partner, TimeSpan overlap, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(partner);
        var (plain, protectedSecret) = Issue();
        string? previous = null;
        if (overlap > TimeSpan.Zero)
        {
            var current = protector.Unprotect(partner.ProtectedWebhookSecret);
            previous = current.IsReadable ? protector.Protect(current.Secret!) : null;
        }

        partner.RotateWebhookSecret(protectedSecret, now, previous, overlap);
        return plain;
    }

    /// <summary>The previous secret while the last rotation's overlap lasts (always stored protected), else null.</summary>
    public string? RevealPrevious(Partner partner, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(partner);
        if (!partner.AcceptsPreviousWebhookSecret(now))
        {
            return null;
        }

        var reading = protector.Unprotect(partner.PreviousProtectedWebhookSecret!);
        if (!reading.IsReadable || reading.IsLegacyPlainText)
        {
            LogUnreadable(logger, partner.Id, "previous secret: " + (reading.Failure ?? "not in protected form"));
            return null;
        }

        return reading.Secret;
    }

    /// <summary>The plain secret of <paramref name="partner"/>, or null (logged) when its stored value cannot be read.</summary>
    public async Task<string?> RevealAsync(Partner partner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partner);
        var reading = protector.Unprotect(partner.ProtectedWebhookSecret);
        if (!reading.IsReadable)
        {
            LogUnreadable(logger, partner.Id, reading.Failure ?? "unreadable");
            return null;
        }

        if (reading.IsLegacyPlainText)
        {
            await ReprotectAsync(partner.Id, partner.ProtectedWebhookSecret, reading.Secret!, cancellationToken);
        }

        return reading.Secret;
    }

    /// <summary>Re-protects every legacy plain secret still stored (the startup step). Returns how many were re-protected.</summary>
    public async Task<int> ReprotectLegacySecretsAsync(CancellationToken cancellationToken)
    {
        var candidates = await db.Partners.AsNoTracking()
            .Where(p => !p.ProtectedWebhookSecret.StartsWith(WebhookSecretFormat.ProtectedMarker))
            .Select(p => new { p.Id, p.ProtectedWebhookSecret })
            .ToListAsync(cancellationToken);
        var done = 0;
        foreach (var candidate in candidates)
        {
            var reading = protector.Unprotect(candidate.ProtectedWebhookSecret);
            if (!reading.IsReadable)
            {
                LogUnreadable(logger, candidate.Id, reading.Failure ?? "unreadable");
            }
            else if (reading.IsLegacyPlainText && await ReprotectAsync(candidate.Id, candidate.ProtectedWebhookSecret, reading.Secret!, cancellationToken))
            {
                done++;
            }
        }

        return done;
    }

    // Compare-and-set on the legacy value: a concurrent rotation or re-protection wins and is not overwritten.
    private async Task<bool> ReprotectAsync(Guid partnerId, string legacyValue, string secret, CancellationToken cancellationToken)
    {
        var protectedValue = protector.Protect(secret);
        var updated = await db.Partners
            .Where(p => p.Id == partnerId && p.ProtectedWebhookSecret == legacyValue)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.ProtectedWebhookSecret, protectedValue), cancellationToken);
        if (updated == 1)
        {
            LogReprotected(logger, partnerId);
        }

        return updated == 1;
    }

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "Security: the stored webhook secret of partner {PartnerId} cannot be read ({Reason}); its webhooks are refused and callbacks not sent until the secret is rotated")]
    private static partial void LogUnreadable(ILogger logger, Guid partnerId, string reason);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Information, Message = "The legacy plain webhook secret of partner {PartnerId} was re-protected")]
    private static partial void LogReprotected(ILogger logger, Guid partnerId);
}
