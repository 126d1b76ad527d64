using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Webhooks;

namespace Retail.Modules.Partners.Infrastructure.Webhooks;

/// <summary>
/// Webhook secrets at rest through ASP.NET Data Protection (like Ordering's payment details): the key ring is the app's,
/// shared through Redis when <c>ConnectionStrings:Redis</c> is set. Stored form: <c>dp1:</c> + the protected payload.
/// An unmarked value is a legacy plain secret (at most the old column's 128 characters); anything else is unreadable.
/// </summary>
internal sealed class DataProtectionWebhookSecretProtector(IDataProtectionProvider provider) : IWebhookSecretProtector
{
    public const string Purpose = "Retail.Partners.WebhookSecret.v1";

    /// <summary>The old column's length: no legacy plain secret is longer.</summary>
    public const int MaxLegacyLength = 128;

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return WebhookSecretFormat.ProtectedMarker + _protector.Protect(secret);
    }

    public WebhookSecretReading Unprotect(string stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return WebhookSecretReading.Unreadable("no secret stored");
        }

        if (!WebhookSecretFormat.IsProtected(stored))
        {
            return stored.Length <= MaxLegacyLength
                ? WebhookSecretReading.Legacy(stored)
                : WebhookSecretReading.Unreadable("unmarked value longer than a legacy secret");
        }

        try
        {
            var secret = _protector.Unprotect(stored[WebhookSecretFormat.ProtectedMarker.Length..]);
            return secret.Length == 0 ? WebhookSecretReading.Unreadable("empty secret") : WebhookSecretReading.Protected(secret);
        }
        catch (CryptographicException ex)
        {
            // Tampered payload, or a key this key ring does not hold (e.g. instances not sharing the key ring).
            return WebhookSecretReading.Unreadable(ex.GetType().Name + ": " + ex.Message);
        }
        catch (FormatException ex)
        {
            return WebhookSecretReading.Unreadable(ex.GetType().Name + ": " + ex.Message);
        }
    }
}

/// <summary>
/// The startup step: after migrations (the database is prepared before hosted services start), every legacy plain
/// webhook secret is re-protected, so the plain value does not linger until the partner's next webhook.
/// </summary>
internal sealed partial class LegacyWebhookSecretsReprotection(IServiceScopeFactory scopes, ILogger<LegacyWebhookSecretsReprotection> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var count = await scope.ServiceProvider.GetRequiredService<WebhookSecrets>().ReprotectLegacySecretsAsync(stoppingToken);
            if (count > 0)
            {
                LogReprotected(logger, count);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not fatal: legacy secrets keep working and are re-protected on first use.
            LogFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-protected {Count} legacy plain webhook secrets after start")]
    private static partial void LogReprotected(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-protecting legacy webhook secrets after start failed; they are re-protected on first use")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
