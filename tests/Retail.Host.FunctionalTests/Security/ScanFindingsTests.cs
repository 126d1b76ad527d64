using System.Net;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Security;

/// <summary>
/// Regression tests for what build/security/scan.sh found (docs/security.md, "Findings and fixes").
/// </summary>
public sealed class ScanFindingsTests(RetailAppFactory app) : IClassFixture<RetailAppFactory>
{
    /// <summary>
    /// sqlmap, login form: a checkbox posted with a value that is not a boolean (Input.RememberMe=2873) made the page's
    /// re-render throw FormatException in the checkbox tag helper: 500 instead of a validation answer.
    /// </summary>
    [Theory]
    [InlineData("2873")]
    [InlineData("1 AND 1=1")]
    [InlineData("true' OR '1'='1")]
    public async Task A_login_with_a_remember_me_value_that_is_not_a_boolean_is_a_400_form_not_a_500(string rememberMe)
    {
        using var client = app.Browser();
        var response = await AppClient.PostFormAsync(client, "/Identity/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = "nobody@example.test",
            ["Input.Password"] = "Wrong-Passw0rd!",
            ["Input.RememberMe"] = rememberMe,
        });

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, Html.Text(html));
        html.ShouldContain("id=\"Input_Email\"", customMessage: "the login form is shown again");
        html.ShouldContain("name=\"Input.RememberMe\"");
        Html.ShouldNotLeakExceptionDetails(html);
    }

    [Fact]
    public async Task A_valid_remember_me_still_signs_in()
    {
        using var client = app.Browser();
        var response = await AppClient.PostFormAsync(client, "/Identity/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = Users.Customer,
            ["Input.Password"] = RetailAppFactory.DemoPassword,
            ["Input.RememberMe"] = "true",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>The same tag-helper path on an admin form: the gateway simulator's Outage checkbox.</summary>
    [Fact]
    public async Task The_payments_admin_form_with_an_outage_value_that_is_not_a_boolean_is_a_400_form()
    {
        using var admin = await app.SignedInBrowserAsync(Users.Admin);
        var response = await AppClient.PostFormAsync(admin, "/admin/payments", new Dictionary<string, string>
        {
            ["Input.LatencyMs"] = "20",
            ["Input.FailurePercent"] = "0",
            ["Input.TimeoutPercent"] = "0",
            ["Input.Outage"] = "yes please",
            ["Input.DeclineCardSuffixes"] = "0002",
        });

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, Html.Text(html));
        html.ShouldContain("id=\"Input_Outage\"");
        Html.ShouldNotLeakExceptionDetails(html);
    }
}

/// <summary>wapiti's http_headers and csp modules (docs/security.md, finding 2).</summary>
public sealed class SecurityHeaderTests(RetailAppFactory app) : IClassFixture<RetailAppFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/catalog")]
    [InlineData("/Identity/Login")]
    public async Task Pages_forbid_plugins_in_the_csp_turn_the_legacy_xss_auditor_off_and_send_hsts(string path)
    {
        using var client = app.Browser();
        using var response = await client.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        csp.ShouldContain("object-src 'none'", customMessage: "no <object>/<embed> plugins: wapiti flags a CSP without it");
        string.Join(",", response.Headers.GetValues("X-XSS-Protection")).ShouldBe("0");
        string.Join(",", response.Headers.GetValues("Strict-Transport-Security")).ShouldStartWith("max-age=");
    }

    [Fact]
    public async Task Antiforgery_and_auth_cookies_are_http_only()
    {
        using var client = app.Browser();
        using var login = await client.GetAsync("/Identity/Login");
        login.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("retail.antiforgery=", StringComparison.Ordinal))
            .ShouldAllBe(c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase));

        using var signIn = await AppClient.SubmitLoginAsync(client, Users.Customer, RetailAppFactory.DemoPassword);
        var authCookies = signIn.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith(AppClient.AuthCookie + "=", StringComparison.Ordinal)).ToList();
        authCookies.ShouldNotBeEmpty();
        authCookies.ShouldAllBe(c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
    }
}
