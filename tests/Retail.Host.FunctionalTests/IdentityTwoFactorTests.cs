using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>
/// Two-step sign-in: a customer turns on an authenticator app through <c>/api/identity/manage/2fa</c>, as a script or app
/// would, and then signs in on the pages with the password and the app's 6-digit code (or a recovery code).
/// </summary>
public sealed class IdentityTwoFactorTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    private const string Password = "Two-Step-Passw0rd!";
    private const string CodePage = "/identity/login-with-code";
    private const string RecoveryPage = "/identity/login-with-recovery-code";
    private const string WrongCode = "That code is not correct.";
    private const string WrongRecoveryCode = "That recovery code is not correct or was already used.";
    private const string LockedOut = "This account is locked after too many failed sign-ins.";

    [Fact]
    public async Task After_turning_on_two_factor_the_password_leads_to_the_code_page_and_the_code_signs_in()
    {
        var (email, key, _) = await RegisterWithTwoFactorAsync();
        using var browser = factory.Browser();

        var password = await AppClient.SubmitLoginAsync(browser, email, Password, returnUrl: "/orders");

        password.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await password.Content.ReadAsStringAsync()));
        password.SetsAuthCookie().ShouldBeFalse("the password alone does not sign in");
        var codePage = password.RedirectTarget().PathAndQuery;
        codePage.ShouldStartWith(CodePage);
        (await browser.GetAsync("/orders")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "not signed in between the two steps");
        var form = await (await browser.GetAsync(codePage)).Content.ReadAsStringAsync();
        form.ShouldContain("name=\"Input.Code\"");
        form.ShouldContain($"href=\"{RecoveryPage}", customMessage: "the page offers a recovery code instead");

        var signedIn = await AppClient.PostFormAsync(browser, codePage, new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });

        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await signedIn.Content.ReadAsStringAsync()));
        signedIn.SetsAuthCookie().ShouldBeTrue();
        signedIn.Headers.Location!.OriginalString.ShouldBe("/orders", "back to where the customer was going");
        (await browser.GetAsync("/orders")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_wrong_code_says_so_and_does_not_sign_in()
    {
        var (email, key, _) = await RegisterWithTwoFactorAsync();
        using var browser = factory.Browser();
        var codePage = (await AppClient.SubmitLoginAsync(browser, email, Password)).RedirectTarget().PathAndQuery;

        var wrong = await AppClient.PostFormAsync(browser, codePage, new Dictionary<string, string> { ["Input.Code"] = Totp.WrongCode(key) });

        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.SetsAuthCookie().ShouldBeFalse();
        var html = await wrong.Content.ReadAsStringAsync();
        Html.Text(html).ShouldContain(WrongCode);
        html.ShouldContain("name=\"Input.Code\"", customMessage: "the form is shown again");
        (await browser.GetAsync("/orders")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var right = await AppClient.PostFormAsync(browser, codePage, new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        right.SetsAuthCookie().ShouldBeTrue("one wrong code does not end the sign-in");
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_account_so_even_the_right_code_is_refused()
    {
        var (email, key, _) = await RegisterWithTwoFactorAsync();
        using var browser = factory.Browser();
        var codePage = (await AppClient.SubmitLoginAsync(browser, email, Password)).RedirectTarget().PathAndQuery;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var wrong = await AppClient.PostFormAsync(browser, codePage, new Dictionary<string, string> { ["Input.Code"] = Totp.WrongCode(key) });
            wrong.SetsAuthCookie().ShouldBeFalse();
            wrong.StatusCode.ShouldBe(attempt < 5 ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, $"attempt {attempt}");
        }

        var right = await AppClient.PostFormAsync(browser, codePage, new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });

        right.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        right.SetsAuthCookie().ShouldBeFalse();
        Html.Text(await right.Content.ReadAsStringAsync()).ShouldContain(LockedOut);
        (await AppClient.SubmitLoginAsync(factory.Browser(), email, Password)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "the password step is locked too");
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var (email, _, recoveryCodes) = await RegisterWithTwoFactorAsync();
        using var browser = factory.Browser();
        (await AppClient.SubmitLoginAsync(browser, email, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var signedIn = await AppClient.PostFormAsync(browser, RecoveryPage, new Dictionary<string, string> { ["Input.RecoveryCode"] = recoveryCodes[0] });

        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await signedIn.Content.ReadAsStringAsync()));
        signedIn.SetsAuthCookie().ShouldBeTrue();
        (await browser.GetAsync("/orders")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var again = factory.Browser();
        (await AppClient.SubmitLoginAsync(again, email, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var reused = await AppClient.PostFormAsync(again, RecoveryPage, new Dictionary<string, string> { ["Input.RecoveryCode"] = recoveryCodes[0] });
        reused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        reused.SetsAuthCookie().ShouldBeFalse("a used recovery code is spent");
        Html.Text(await reused.Content.ReadAsStringAsync()).ShouldContain(WrongRecoveryCode);
        var another = await AppClient.PostFormAsync(again, RecoveryPage, new Dictionary<string, string> { ["Input.RecoveryCode"] = recoveryCodes[1] });
        another.SetsAuthCookie().ShouldBeTrue("the other codes still work");
    }

    [Fact]
    public async Task The_code_page_without_a_password_first_sends_the_customer_back_to_sign_in()
    {
        using var browser = factory.Browser();

        var response = await AppClient.PostFormAsync(browser, CodePage, new Dictionary<string, string> { ["Input.Code"] = "123456" });

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.SetsAuthCookie().ShouldBeFalse();
        Html.Text(await response.Content.ReadAsStringAsync()).ShouldContain("Sign in with your email and password again.");
    }

    [Fact]
    public async Task A_forged_code_post_without_the_antiforgery_token_is_refused()
    {
        var (email, key, _) = await RegisterWithTwoFactorAsync();
        using var browser = factory.Browser();
        var codePage = (await AppClient.SubmitLoginAsync(browser, email, Password)).RedirectTarget().PathAndQuery;

        var forged = await AppClient.PostFormWithoutTokenAsync(browser, codePage, new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        forged.SetsAuthCookie().ShouldBeFalse();
    }

    /// <summary>Registers through the API and turns on the authenticator app as a customer would: ask for the key, confirm with a code.</summary>
    private async Task<(string Email, string SharedKey, string[] RecoveryCodes)> RegisterWithTwoFactorAsync()
    {
        var email = Users.NewEmail("twofactor");
        using var anonymous = factory.AnonymousApi();
        (await anonymous.PostAsJsonAsync("/api/identity/register", new { email, password = Password })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var api = factory.AnonymousApi();
        api.DefaultRequestHeaders.Authorization = new("Bearer", await factory.GetBearerTokenAsync(email, Password));

        var setup = await api.PostAsJsonAsync("/api/identity/manage/2fa", new { });
        setup.StatusCode.ShouldBe(HttpStatusCode.OK, await setup.Content.ReadAsStringAsync());
        using var setupBody = JsonDocument.Parse(await setup.Content.ReadAsStringAsync());
        var key = setupBody.RootElement.GetProperty("sharedKey").GetString().ShouldNotBeNull();

        var enabled = await api.PostAsJsonAsync("/api/identity/manage/2fa", new { enable = true, twoFactorCode = Totp.Code(key, DateTimeOffset.UtcNow) });

        enabled.StatusCode.ShouldBe(HttpStatusCode.OK, await enabled.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await enabled.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("isTwoFactorEnabled").GetBoolean().ShouldBeTrue();
        string[] recoveryCodes = [.. body.RootElement.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!)];
        recoveryCodes.Length.ShouldBeGreaterThan(1);
        return (email, key, recoveryCodes);
    }
}

/// <summary>An authenticator app's code (RFC 6238: HMAC-SHA1 over 30-second steps, 6 digits) from the Base32 shared key.</summary>
internal static class Totp
{
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Code(string sharedKey, DateTimeOffset at) => Code(Base32(sharedKey), at.ToUnixTimeSeconds() / 30);

    /// <summary>A 6-digit code that no step Identity accepts around now (it takes two steps either side) produces.</summary>
    public static string WrongCode(string sharedKey)
    {
        var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var accepted = Enumerable.Range(-3, 7).Select(i => Code(Base32(sharedKey), step + i)).ToHashSet();
        return Enumerable.Range(0, 10).Select(i => $"{i * 111111 % 1000000:D6}").First(c => !accepted.Contains(c));
    }

    private static string Code(byte[] key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7FFFFFFF) % 1_000_000;
        return binary.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant().Where(c => c is not ('=' or ' ' or '-')))
        {
            buffer = (buffer << 5) | Base32Alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. bytes];
    }
}
