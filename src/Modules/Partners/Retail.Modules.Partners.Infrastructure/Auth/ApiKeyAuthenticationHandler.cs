using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Infrastructure.Web;
using Retail.Modules.Partners.Application.Keys;
using Retail.Modules.Partners.Domain.Partners;

namespace Retail.Modules.Partners.Infrastructure.Auth;

/// <summary>
/// The <c>X-Api-Key</c> scheme of the partner APIs (SPEC S1). Every attempt is checked and audited by
/// <see cref="ApiKeyAuthenticator"/>; a refusal answers 401 problem details with a stable code. No answer is given before
/// the attempt's audit row has committed (<see cref="ApiKeyCheck.Audited"/>); the request's work runs meanwhile. The
/// partner API's endpoint filter (<see cref="AuditedAsync"/>) and the refusals wait for it inside the pipeline, so a
/// failed audit answers a 500 problem like any failure; the response's start waits for it too, whatever answers.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PartnerApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string PartnerIdClaim = "partner_id";
    public const string KeyIdClaim = "partner_key_id";
    public const string SandboxClaim = "partner_sandbox";

    private const string OutcomeItem = "partners.auth-outcome";
    private const string AuditedItem = "partners.auth-audited";

    /// <summary>Completes when the request's API key audit row has committed (at once for a request without a key check).</summary>
    public static Task AuditedAsync(HttpContext context) =>
        context?.Items.TryGetValue(AuditedItem, out var audited) == true && audited is Task task ? task : Task.CompletedTask;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authenticator = Context.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
        var presented = Request.Headers.TryGetValue(HeaderName, out var values) ? values.ToString() : null;
        var check = await authenticator.AuthenticateAsync(presented, Context.Connection.RemoteIpAddress?.ToString() ?? "", Request.Path.Value ?? "", Context.RequestAborted);
        Context.Items[OutcomeItem] = check.Outcome;
        Context.Items[AuditedItem] = check.Audited;
        // Whatever answers (an endpoint that failed, too) starts only once the audit row is settled. Its failure is
        // surfaced inside the pipeline (the endpoint filter, the refusals below), where it becomes a 500 problem; thrown
        // here again it would also break that 500 answer.
        Response.OnStarting(static async audited => await ((Task)audited).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing), check.Audited);
        if (!check.Succeeded)
        {
            return check.Outcome == AuthOutcome.MissingKey ? AuthenticateResult.NoResult() : AuthenticateResult.Fail(check.Outcome.ToString());
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "partner:" + check.PartnerId!.Value.ToString("N")),
            new(ClaimTypes.Name, check.KeyPrefix ?? ""),
            new(PartnerIdClaim, check.PartnerId.Value.ToString()),
            new(KeyIdClaim, check.KeyId!.Value.ToString()),
            new(SandboxClaim, check.IsSandbox ? "true" : "false"),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var outcome = Context.Items.TryGetValue(OutcomeItem, out var value) && value is AuthOutcome o ? o : AuthOutcome.MissingKey;
        var error = outcome == AuthOutcome.MissingKey
            ? new Error("partners.api_key_missing", $"Send your API key in the {HeaderName} header.", ErrorKind.Unauthorized)
            : new Error("partners.api_key_invalid", "The API key is not valid (unknown, revoked or expired).", ErrorKind.Unauthorized);
        await AuditedAsync(Context);
        Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
        await error.ToProblem(Context).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await AuditedAsync(Context);
        await Error.Forbidden().ToProblem(Context).ExecuteAsync(Context);
    }
}

/// <summary>Who called a partner endpoint, read from the API key principal.</summary>
public static class PartnerPrincipal
{
    public static Guid PartnerId(this ClaimsPrincipal user) =>
        Guid.Parse(user?.FindFirstValue(ApiKeyAuthenticationHandler.PartnerIdClaim) ?? throw new InvalidOperationException("Not a partner API key principal."));

    public static bool IsSandbox(this ClaimsPrincipal user) => user?.FindFirstValue(ApiKeyAuthenticationHandler.SandboxClaim) == "true";
}
