using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retail.Host.FunctionalTests.FlashSales;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Modules.Identity.Infrastructure.Persistence;

namespace Retail.Host.FunctionalTests;

/// <summary>
/// A new password ends the account's other sessions: bearer tokens and cookies issued before it stop working once
/// <c>Identity:SecurityStampValidationInterval</c> (1 minute by default) has passed, on a clock the test moves.
/// </summary>
public sealed class IdentitySessionTests(FrozenClockAppFactory factory) : IClassFixture<FrozenClockAppFactory>
{
    private const string Password = "First-Passw0rd!x";
    private const string NewPassword = "Second-Passw0rd!y";

    /// <summary>Past the default one-minute bound, well inside the token's hour and the cookie's eight hours.</summary>
    private static readonly TimeSpan PastTheInterval = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_password_changed_through_the_api_ends_the_accounts_other_tokens_and_cookies_and_the_new_sign_in_works()
    {
        var email = await RegisterAsync();
        var tokens = await LoginAsync(email, Password);
        using var browser = factory.Browser();
        await AppClient.LoginAsync(browser, email, Password);

        // Long-lived sessions keep working while nothing about the account changes (their check finds the stamp current).
        factory.Clock.Advance(PastTheInterval);
        (await InfoAsync(tokens.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.OK, "an unchanged account's token");
        (await browser.GetAsync("/api/identity/manage/info")).StatusCode.ShouldBe(HttpStatusCode.OK, "an unchanged account's cookie");

        using (var change = new HttpRequestMessage(HttpMethod.Post, "/api/identity/manage/info"))
        {
            change.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            change.Content = JsonContent.Create(new { oldPassword = Password, newPassword = NewPassword });
            using var api = factory.AnonymousApi();
            var changed = await api.SendAsync(change);
            changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        }

        factory.Clock.Advance(PastTheInterval);

        (await InfoAsync(tokens.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the token issued before the change");
        (await browser.GetAsync("/api/identity/manage/info")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the cookie issued before the change");
        var page = await browser.GetAsync("/orders");
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.RedirectTarget().AbsolutePath.ShouldBe("/Identity/Login", "the old browser is asked to sign in again");
        using (var api = factory.AnonymousApi())
        {
            (await api.PostAsJsonAsync("/api/identity/refresh", new { refreshToken = tokens.RefreshToken })).StatusCode
                .ShouldBe(HttpStatusCode.Unauthorized, "the refresh token issued before the change");
        }

        var fresh = await LoginAsync(email, NewPassword);
        (await InfoAsync(fresh.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.OK, "a token issued with the new password");
        factory.Clock.Advance(PastTheInterval);
        (await InfoAsync(fresh.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.OK, "the new token once its stamp is checked against the account");
    }

    [Fact]
    public async Task A_password_reset_ends_the_accounts_bearer_tokens()
    {
        var email = await RegisterAsync();
        // Identity resets only confirmed addresses; the code is the one the reset email carries (Base64Url-encoded).
        string resetCode;
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<RetailUser>>();
            var user = await users.FindByEmailAsync(email);
            (await users.ConfirmEmailAsync(user!, await users.GenerateEmailConfirmationTokenAsync(user!))).Succeeded.ShouldBeTrue();
            resetCode = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user!)));
        }

        var tokens = await LoginAsync(email, Password);
        (await InfoAsync(tokens.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using (var api = factory.AnonymousApi())
        {
            var reset = await api.PostAsJsonAsync("/api/identity/resetPassword", new { email, resetCode, newPassword = NewPassword });
            reset.StatusCode.ShouldBe(HttpStatusCode.OK, await reset.Content.ReadAsStringAsync());
        }

        factory.Clock.Advance(PastTheInterval);

        (await InfoAsync(tokens.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the token issued before the reset");
        (await InfoAsync((await LoginAsync(email, NewPassword)).AccessToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public void The_staleness_bound_is_one_minute_unless_configured()
    {
        factory.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval
            .ShouldBe(TimeSpan.FromMinutes(1), "the cookie check uses the same bound as the token check");
    }

    private async Task<string> RegisterAsync()
    {
        var email = Users.NewEmail("session");
        using var api = factory.AnonymousApi();
        var response = await api.PostAsJsonAsync("/api/identity/register", new { email, password = Password });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return email;
    }

    private async Task<AccessTokenResponse> LoginAsync(string email, string password)
    {
        using var api = factory.AnonymousApi();
        var response = await api.PostAsJsonAsync("/api/identity/login", new { email, password });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AccessTokenResponse>())!;
    }

    private async Task<HttpResponseMessage> InfoAsync(string accessToken)
    {
        using var api = factory.AnonymousApi();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/identity/manage/info");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await api.SendAsync(request);
    }
}

/// <summary>The staleness bound is checked when the app starts, like every module's settings.</summary>
public sealed class IdentitySettingsTests
{
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:01:00")]
    public void The_app_does_not_start_without_a_positive_security_stamp_validation_interval(string value)
    {
        using var factory = new IntervalAppFactory(value);

        var error = Should.Throw<OptionsValidationException>(() => factory.CreateClient());

        error.Message.ShouldStartWith("Identity:SecurityStampValidationInterval must be a positive duration");
    }

    [Fact]
    public void A_configured_interval_is_the_cookie_checks_bound_too()
    {
        using var factory = new IntervalAppFactory("00:05:00");

        factory.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval.ShouldBe(TimeSpan.FromMinutes(5));
    }

    private sealed class IntervalAppFactory(string interval) : RetailAppFactory
    {
        protected override IDictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            settings["Identity:SecurityStampValidationInterval"] = interval;
            settings["Logging:LogLevel:Default"] = "None";
            return settings;
        }
    }
}
