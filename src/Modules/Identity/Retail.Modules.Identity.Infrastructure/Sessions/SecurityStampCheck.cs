using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.Modules.Identity.Application;
using Retail.Modules.Identity.Infrastructure.Persistence;

namespace Retail.Modules.Identity.Infrastructure.Sessions;

/// <summary>
/// Whether a bearer token's security stamp is still the account's, known to at most
/// <see cref="IdentityModuleOptions.SecurityStampValidationInterval"/> of staleness: what ASP.NET Core's
/// <see cref="SecurityStampValidator"/> does for the cookie, which the bearer handler never does. A token issued within the
/// interval passes without a look (the login or refresh that issued it had just checked the account); after that, each
/// (user, stamp) is looked up once per interval per instance and the answer remembered, so a busy client costs one account
/// read a minute, not one per request. A replaced stamp never comes back, so remembering a refusal is as safe as an approval.
/// </summary>
internal sealed partial class SecurityStampCheck(
    TimeProvider time,
    IOptions<IdentityModuleOptions> options,
    IOptionsMonitor<BearerTokenOptions> bearerOptions,
    ILogger<SecurityStampCheck> logger)
{
    private readonly TimeSpan _interval = options.Value.SecurityStampValidationInterval;
    private readonly ConcurrentDictionary<(string UserId, string Stamp), Verdict> _verdicts = new();
    private long _nextSweepTicks;

    public async ValueTask<bool> IsCurrentAsync(AuthenticationTicket ticket, HttpContext context)
    {
        var now = time.GetUtcNow();
        if (IssuedAt(ticket) is { } issued && now - issued < _interval)
        {
            return true;
        }

        var signIn = context.RequestServices.GetRequiredService<SignInManager<RetailUser>>();
        var userId = signIn.UserManager.GetUserId(ticket.Principal);
        var stamp = ticket.Principal.FindFirstValue(signIn.Options.ClaimsIdentity.SecurityStampClaimType);
        if (userId is null || stamp is null)
        {
            return false;
        }

        if (_verdicts.TryGetValue((userId, stamp), out var known) && now - known.CheckedAt < _interval)
        {
            return known.Current;
        }

        var current = await signIn.ValidateSecurityStampAsync(ticket.Principal) is not null;
        _verdicts[(userId, stamp)] = new Verdict(current, now);
        if (!current)
        {
            LogStaleToken(logger, userId);
        }

        SweepIfDue(now);
        return current;
    }

    /// <summary>
    /// The bearer handler records only when a token expires; it is issued one configured token lifetime before that
    /// (Identity's login and refresh endpoints never set an expiry of their own).
    /// </summary>
    private DateTimeOffset? IssuedAt(AuthenticationTicket ticket) =>
        ticket.Properties.IssuedUtc ?? ticket.Properties.ExpiresUtc - bearerOptions.Get(IdentityConstants.BearerScheme).BearerTokenExpiration;

    /// <summary>
    /// Verdicts older than the interval are never used again; dropping them once per interval keeps the memory to the
    /// accounts active in the last interval. Only one request sweeps, and only verdicts nobody has renewed meanwhile.
    /// </summary>
    private void SweepIfDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + _interval).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var entry in _verdicts)
        {
            if (now - entry.Value.CheckedAt >= _interval)
            {
                _verdicts.TryRemove(entry);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bearer token of user {UserId} refused: the account's security stamp changed (new password) after it was issued")]
    private static partial void LogStaleToken(ILogger logger, string userId);

    private readonly record struct Verdict(bool Current, DateTimeOffset CheckedAt);
}
