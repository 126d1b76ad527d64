using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Retail.Modules.Identity.Infrastructure.Sessions;

/// <summary>
/// The default authenticate scheme, in place of Identity's bearer-or-cookie scheme (internal to Identity) and doing what it
/// does, a bearer token first and the cookie only when there is none, plus what it lacks: a bearer token is refused once its
/// security stamp is no longer the account's (<see cref="SecurityStampCheck"/>). The cookie needs no such step here: its
/// handler runs <see cref="SecurityStampValidator"/> with the same interval.
/// </summary>
internal sealed class StampCheckedSignInHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SecurityStampCheck stamps) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Retail.Identity";

    private static readonly AuthenticateResult StaleToken = AuthenticateResult.Fail("The account's security stamp changed after this token was issued.");

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var bearer = await Context.AuthenticateAsync(IdentityConstants.BearerScheme);
        if (bearer.None)
        {
            return await Context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        }

        if (!bearer.Succeeded)
        {
            return bearer;
        }

        return await stamps.IsCurrentAsync(bearer.Ticket, Context) ? bearer : StaleToken;
    }
}
