using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.Modules.Identity.Application;

namespace Retail.Modules.Identity.Infrastructure.Email;

/// <summary>
/// Warns once at start, outside Development, when links in account emails would follow whatever Host header a client
/// sends: <c>Identity:PublicBaseUrl</c> unset and <c>AllowedHosts</c> allowing any host (its default <c>*</c>). A forged
/// Host on "forgot password" would then send a customer's reset code to another site. Not a refusal to start: a demo or
/// a site behind a proxy that pins the host runs fine, so the operator is told what to set.
/// </summary>
internal sealed partial class AccountLinksStartupCheck(
    IOptions<IdentityModuleOptions> options,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<AccountLinksStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!environment.IsDevelopment() && string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) && AllowsAnyHost(configuration["AllowedHosts"]))
        {
            LogLinksTrustHostHeader(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>As ASP.NET Core's host filtering reads the setting: ';'-separated, and no entry or a '*' entry allows every host.</summary>
    internal static bool AllowsAnyHost(string? allowedHosts)
    {
        var hosts = (allowedHosts ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return hosts.Length == 0 || hosts.Contains("*", StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Links in account emails (confirm email, reset password) trust the request's Host header: " +
        "Identity:PublicBaseUrl is not set and AllowedHosts allows any host, so a forged Host header could point a customer's reset link at another site. " +
        "Set Identity:PublicBaseUrl to the site's public address (or list the site's host names in AllowedHosts)")]
    private static partial void LogLinksTrustHostHeader(ILogger logger);
}
