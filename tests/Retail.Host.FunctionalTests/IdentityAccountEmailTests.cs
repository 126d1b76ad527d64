using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Modules.Identity.Application.Abstractions;

namespace Retail.Host.FunctionalTests;

/// <summary>The app with its own mail pickup folder, so a test reads exactly the emails this app sent.</summary>
public class MailboxAppFactory : RetailAppFactory
{
    public string MailFolder => Path.Combine(Folder, "mail");

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Email:PickupFolder"] = MailFolder;
        return settings;
    }

    /// <summary>Every email sent to <paramref name="to"/> so far, oldest first (the pickup file names start with the time).</summary>
    public IReadOnlyList<MimeMessage> MailTo(string to) =>
        Directory.Exists(MailFolder)
            ? [.. Directory.GetFiles(MailFolder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f))
                .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase)))]
            : [];

    public int MailCount => Directory.Exists(MailFolder) ? Directory.GetFiles(MailFolder, "*.eml").Length : 0;

    /// <summary>
    /// The addresses of the emails sent while the request's Identity context had a database transaction open: on SQLite
    /// that transaction holds the one write lock for as long as the mail server takes, blocking every other writer.
    /// </summary>
    public ConcurrentBag<string> SentInsideIdentityTransaction { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            // The app's own sender (the pickup folder) still writes every email; the wrapper only looks at the transaction.
            var app = services.Last(d => d.ServiceType == typeof(IEmailSender));
            services.Remove(app);
            services.AddSingleton<IEmailSender>(sp => new TransactionWatchingEmailSender(
                (IEmailSender)ActivatorUtilities.CreateInstance(sp, app.ImplementationType!), sp.GetRequiredService<IHttpContextAccessor>(), this));
        });
    }

    private sealed class TransactionWatchingEmailSender(IEmailSender inner, IHttpContextAccessor http, MailboxAppFactory factory) : IEmailSender
    {
        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            if (http.HttpContext?.RequestServices.GetService<IIdentityDbContext>() is DbContext { Database.CurrentTransaction: not null })
            {
                factory.SentInsideIdentityTransaction.Add(message.To);
            }

            return inner.SendAsync(message, cancellationToken);
        }
    }
}

/// <summary>
/// Account emails through real HTTP and the pickup folder: a new customer confirms the address from the emailed link,
/// and "Forgot your password?" emails a code and link that set a new password, without telling who has an account.
/// </summary>
public sealed partial class IdentityAccountEmailTests(MailboxAppFactory factory) : IClassFixture<MailboxAppFactory>
{
    private const string OldPassword = "Old-Passw0rd-42!";
    private const string NewPassword = "Brand-New-Passw0rd!";
    private const string SentMessage = "If an account exists for this email, we have sent it a message with a link to choose a new password.";
    private const string InvalidCode = "This password reset code is not valid or has expired, and your password was not changed.";

    [Fact]
    public async Task A_customer_confirms_the_emailed_address_then_resets_a_forgotten_password_and_signs_in_with_the_new_one()
    {
        var email = Users.NewEmail("reset");
        using (var registering = factory.Browser())
        {
            var registered = await RegisterThroughPageAsync(registering, "Robin Reset", email);
            registered.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await registered.Content.ReadAsStringAsync()));
        }

        var confirmation = factory.MailTo(email).ShouldHaveSingleItem("registration sends one confirmation email");
        confirmation.Subject.ShouldBe("Confirm your email address");
        confirmation.HtmlBody.ShouldNotBeNull().ShouldContain("Hello Robin Reset");
        confirmation.TextBody.ShouldNotBeNull().ShouldContain(LinkIn(confirmation));
        using var browser = factory.Browser();
        var confirmed = await browser.GetAsync(LinkIn(confirmation));
        var confirmedHtml = await confirmed.Content.ReadAsStringAsync();
        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK, Html.Text(confirmedHtml));
        Html.ElementText(confirmedHtml, "status-message").ShouldContain("your email address is confirmed");

        var login = await (await browser.GetAsync("/Identity/Login")).Content.ReadAsStringAsync();
        login.ShouldContain("href=\"/identity/forgot-password\"", customMessage: "the login page links to the forgot-password page");
        var asked = await AskForResetAsync(browser, email);
        asked.StatusCode.ShouldBe(HttpStatusCode.OK);
        Html.ElementText(await asked.Content.ReadAsStringAsync(), "status-message").ShouldContain(SentMessage);

        var reset = factory.MailTo(email).Last();
        reset.Subject.ShouldBe("Reset your password");
        var link = LinkIn(reset);
        var code = CodeIn(reset);
        link.ShouldStartWith("http://localhost/identity/reset-password?");
        link.ShouldContain("code=" + Uri.EscapeDataString(code));
        var form = await (await browser.GetAsync(link)).Content.ReadAsStringAsync();
        form.ShouldContain($"value=\"{code}\"", customMessage: "the link fills in the code");
        form.ShouldContain($"value=\"{email}\"", customMessage: "the link fills in the email");

        var changed = await SubmitResetAsync(browser, email, code, NewPassword);

        changed.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await changed.Content.ReadAsStringAsync()));
        changed.Headers.Location!.OriginalString.ShouldBe("/Identity/Login");
        Html.Text(await (await browser.GetAsync("/Identity/Login")).Content.ReadAsStringAsync()).ShouldContain("Your password was changed. Sign in with your new password.");
        (await AppClient.SubmitLoginAsync(factory.Browser(), email, OldPassword)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the old password no longer works");
        (await AppClient.LoginAsync(factory.Browser(), email, NewPassword)).SetsAuthCookie().ShouldBeTrue();

        var again = await SubmitResetAsync(factory.Browser(), email, code, "Third-Passw0rd-99!");
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a used code is spent");
        Html.Text(await again.Content.ReadAsStringAsync()).ShouldContain(InvalidCode);
        (await AppClient.LoginAsync(factory.Browser(), email, NewPassword)).SetsAuthCookie().ShouldBeTrue();
    }

    [Fact]
    public async Task The_confirmation_email_is_sent_after_the_registration_committed_not_while_it_holds_the_write_lock()
    {
        var throughPage = Users.NewEmail("committed-page");
        var throughApi = Users.NewEmail("committed-api");

        (await RegisterThroughPageAsync(factory.Browser(), "Carla Commit", throughPage)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await RegisterThroughApiAsync(throughApi);

        factory.MailTo(throughPage).ShouldHaveSingleItem().Subject.ShouldBe("Confirm your email address");
        factory.MailTo(throughApi).ShouldHaveSingleItem().Subject.ShouldBe("Confirm your email address");
        factory.SentInsideIdentityTransaction.ShouldNotContain(throughPage);
        factory.SentInsideIdentityTransaction.ShouldNotContain(throughApi);
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_answer_and_no_email_is_sent()
    {
        var unknown = Users.NewEmail("nobody");
        var before = factory.MailCount;
        using var browser = factory.Browser();

        var asked = await AskForResetAsync(browser, unknown);

        asked.StatusCode.ShouldBe(HttpStatusCode.OK);
        Html.ElementText(await asked.Content.ReadAsStringAsync(), "status-message").ShouldContain(SentMessage);
        factory.MailCount.ShouldBe(before);
    }

    [Fact]
    public async Task A_wrong_code_is_a_clear_error_with_a_reference_id_and_the_password_stays()
    {
        var email = await RegisterConfirmedAsync();
        using var browser = factory.Browser();

        foreach (var code in new[] { "not-base64-at-all!!", "Q2ZESjhBbm90LWEtdG9rZW4" })
        {
            var response = await SubmitResetAsync(browser, email, code, NewPassword);

            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, code);
            var text = Html.Text(await response.Content.ReadAsStringAsync());
            text.ShouldContain(InvalidCode);
            text.ShouldContain("Reference:");
        }

        (await AppClient.SubmitLoginAsync(factory.Browser(), email, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AppClient.LoginAsync(factory.Browser(), email, OldPassword)).SetsAuthCookie().ShouldBeTrue("the password did not change");
    }

    [Fact]
    public async Task A_new_password_that_breaks_the_registration_rules_is_refused_beside_the_field()
    {
        var email = await RegisterConfirmedAsync();
        using var browser = factory.Browser();
        await AskForResetAsync(browser, email);
        var code = CodeIn(factory.MailTo(email).Last());

        var tooShort = await SubmitResetAsync(browser, email, code, "Sh0rt!");
        var noSymbol = await SubmitResetAsync(browser, email, code, "NoSymbolPassw0rd");

        tooShort.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        Html.FieldError(await tooShort.Content.ReadAsStringAsync(), "Input.NewPassword").ShouldContain("10");
        noSymbol.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        Html.FieldError(await noSymbol.Content.ReadAsStringAsync(), "Input.NewPassword").ShouldContain("non alphanumeric");
        (await AppClient.LoginAsync(factory.Browser(), email, OldPassword)).SetsAuthCookie().ShouldBeTrue();
    }

    [Fact]
    public async Task An_account_that_never_confirmed_its_email_gets_the_confirmation_link_again_instead_of_a_code()
    {
        var email = Users.NewEmail("unconfirmed");
        await RegisterThroughApiAsync(email);
        factory.MailTo(email).ShouldHaveSingleItem().Subject.ShouldBe("Confirm your email address", "API registration sends the confirmation too");

        var asked = await AskForResetAsync(factory.Browser(), email);

        Html.ElementText(await asked.Content.ReadAsStringAsync(), "status-message").ShouldContain(SentMessage);
        var mails = factory.MailTo(email);
        mails.Count.ShouldBe(2);
        mails[1].Subject.ShouldBe("Confirm your email address");
        (await factory.Browser().GetAsync(LinkIn(mails[1]))).StatusCode.ShouldBe(HttpStatusCode.OK, "the new link confirms");
        await AskForResetAsync(factory.Browser(), email);
        factory.MailTo(email).Last().Subject.ShouldBe("Reset your password");
    }

    [Fact]
    public async Task The_seeded_demo_customer_is_confirmed_and_can_ask_for_a_reset()
    {
        await AskForResetAsync(factory.Browser(), Users.Customer2);

        factory.MailTo(Users.Customer2).Last().Subject.ShouldBe("Reset your password");
    }

    [Fact]
    public async Task A_confirmation_link_with_a_wrong_code_says_so_with_a_reference_id()
    {
        var email = Users.NewEmail("badlink");
        await RegisterThroughApiAsync(email);
        var link = LinkIn(factory.MailTo(email).Single());
        var forged = CodeParameter().Replace(link, "code=Q2ZESjhBbm90LWEtdG9rZW4");

        var response = await factory.Browser().GetAsync(forged);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = Html.Text(await response.Content.ReadAsStringAsync());
        text.ShouldContain("This confirmation link is not valid or has expired.");
        text.ShouldContain("Reference:");
    }

    [Fact]
    public async Task The_display_name_in_the_email_is_html_encoded()
    {
        var email = Users.NewEmail("xss");
        using var browser = factory.Browser();
        (await RegisterThroughPageAsync(browser, "<img src=x onerror=alert(1)> & \"Co\"", email)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var html = factory.MailTo(email).Single().HtmlBody.ShouldNotBeNull();

        html.ShouldContain("Hello &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;");
        html.ShouldNotContain("<img");
    }

    [Fact]
    public async Task The_api_forgot_password_endpoint_sends_a_code_that_identitys_reset_endpoint_accepts()
    {
        var email = await RegisterConfirmedAsync();
        using var api = factory.AnonymousApi();

        var forgot = await api.PostAsJsonAsync("/api/identity/forgotPassword", new { email });

        forgot.StatusCode.ShouldBe(HttpStatusCode.OK, await forgot.Content.ReadAsStringAsync());
        var code = CodeIn(factory.MailTo(email).Last());
        var reset = await api.PostAsJsonAsync("/api/identity/resetPassword", new { email, resetCode = code, newPassword = NewPassword });
        reset.StatusCode.ShouldBe(HttpStatusCode.OK, await reset.Content.ReadAsStringAsync());
        (await AppClient.LoginAsync(factory.Browser(), email, NewPassword)).SetsAuthCookie().ShouldBeTrue();
    }

    [Fact]
    public async Task The_api_resend_confirmation_email_links_to_the_confirm_page_and_a_fourth_request_within_the_window_is_refused()
    {
        var email = Users.NewEmail("resend");
        await RegisterThroughApiAsync(email);
        using var api = factory.AnonymousApi();
        for (var i = 0; i < 3; i++)
        {
            var resent = await api.PostAsJsonAsync("/api/identity/resendConfirmationEmail", new { email });
            resent.StatusCode.ShouldBe(HttpStatusCode.OK, await resent.Content.ReadAsStringAsync());
        }

        var mails = factory.MailTo(email);
        mails.Count.ShouldBe(4, "the registration's email and three resent ones");
        var link = LinkIn(mails[^1]);
        link.ShouldStartWith("http://localhost/identity/confirm-email?", customMessage: "the page that says the address is confirmed, not Identity's bare endpoint");

        var refused = await api.PostAsJsonAsync("/api/identity/resendConfirmationEmail", new { email });

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        refused.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        factory.MailTo(email).Count.ShouldBe(4, "a refused request sends nothing");
        var confirmed = await factory.Browser().GetAsync(link);
        Html.ElementText(await confirmed.Content.ReadAsStringAsync(), "status-message").ShouldContain("your email address is confirmed");
    }

    [Fact]
    public async Task The_api_resend_confirmation_email_answers_200_for_an_unknown_address_and_sends_nothing()
    {
        var before = factory.MailCount;
        using var api = factory.AnonymousApi();

        var resent = await api.PostAsJsonAsync("/api/identity/resendConfirmationEmail", new { email = Users.NewEmail("nobody") });

        resent.StatusCode.ShouldBe(HttpStatusCode.OK);
        factory.MailCount.ShouldBe(before);
    }

    [Fact]
    public async Task A_locked_out_account_reset_through_the_api_signs_in_with_the_new_password_at_once()
    {
        var email = await RegisterConfirmedAsync();
        using var browser = factory.Browser();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await AppClient.SubmitLoginAsync(browser, email, $"Wrong-Passw0rd-{attempt}!");
        }

        (await AppClient.SubmitLoginAsync(browser, email, OldPassword)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "locked out");
        using var api = factory.AnonymousApi();
        (await api.PostAsJsonAsync("/api/identity/forgotPassword", new { email })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var code = CodeIn(factory.MailTo(email).Last());

        var reset = await api.PostAsJsonAsync("/api/identity/resetPassword", new { email, resetCode = code, newPassword = NewPassword });

        reset.StatusCode.ShouldBe(HttpStatusCode.OK, await reset.Content.ReadAsStringAsync());
        (await AppClient.LoginAsync(factory.Browser(), email, NewPassword)).SetsAuthCookie().ShouldBeTrue("the reset ended the lockout");
        (await api.PostAsJsonAsync("/api/identity/login", new { email, password = NewPassword })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_api_reset_with_a_wrong_code_is_a_400_problem_and_the_password_stays()
    {
        var email = await RegisterConfirmedAsync();
        using var api = factory.AnonymousApi();

        var reset = await api.PostAsJsonAsync("/api/identity/resetPassword", new { email, resetCode = "Q2ZESjhBbm90LWEtdG9rZW4", newPassword = NewPassword });

        reset.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        reset.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await AppClient.LoginAsync(factory.Browser(), email, OldPassword)).SetsAuthCookie().ShouldBeTrue("the password did not change");
    }

    [Fact]
    public async Task Asking_too_often_for_one_address_is_refused_with_retry_after_and_sends_no_more_email()
    {
        var email = await RegisterConfirmedAsync();
        using var browser = factory.Browser();
        for (var i = 0; i < 3; i++)
        {
            (await AskForResetAsync(browser, email)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var sent = factory.MailTo(email).Count;

        var refused = await AskForResetAsync(browser, email);

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        Html.Text(await refused.Content.ReadAsStringAsync()).ShouldContain("Too many requests");
        factory.MailTo(email).Count.ShouldBe(sent);
    }

    [Fact]
    public async Task A_forged_forgot_password_post_without_the_antiforgery_token_is_refused_and_sends_nothing()
    {
        var email = await RegisterConfirmedAsync();
        var sent = factory.MailTo(email).Count;

        var forged = await AppClient.PostFormWithoutTokenAsync(factory.Browser(), "/identity/forgot-password", new Dictionary<string, string> { ["Input.Email"] = email });

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        factory.MailTo(email).Count.ShouldBe(sent);
    }

    [Fact]
    public async Task A_customer_changes_the_email_through_the_api_confirms_it_on_the_page_and_signs_in_with_the_new_address()
    {
        var email = await RegisterConfirmedAsync();
        var newEmail = Users.NewEmail("changed");
        using var api = factory.AnonymousApi();
        api.DefaultRequestHeaders.Authorization = new("Bearer", await factory.GetBearerTokenAsync(email, OldPassword));

        var asked = await api.PostAsJsonAsync("/api/identity/manage/info", new { newEmail });

        asked.StatusCode.ShouldBe(HttpStatusCode.OK, await asked.Content.ReadAsStringAsync());
        var mail = factory.MailTo(newEmail).ShouldHaveSingleItem("the confirmation goes to the new address");
        mail.Subject.ShouldBe("Confirm your new email address");
        var link = LinkIn(mail);
        link.ShouldStartWith("http://localhost/identity/confirm-email?", customMessage: "a page that says what happened, not Identity's bare endpoint");
        mail.TextBody.ShouldNotBeNull().ShouldContain(link);
        (await AppClient.LoginAsync(factory.Browser(), email, OldPassword)).SetsAuthCookie().ShouldBeTrue("nothing changes before the link is opened");

        var confirmed = await factory.Browser().GetAsync(link);

        var html = await confirmed.Content.ReadAsStringAsync();
        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK, Html.Text(html));
        Html.ElementText(html, "status-message").ShouldContain($"your email address is now {newEmail}.");
        (await AppClient.LoginAsync(factory.Browser(), newEmail, OldPassword)).SetsAuthCookie().ShouldBeTrue("the new address signs in");
        (await AppClient.SubmitLoginAsync(factory.Browser(), email, OldPassword)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the old address no longer does");
        var again = await factory.Browser().GetAsync(link);
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "the link is spent");
        Html.Text(await again.Content.ReadAsStringAsync()).ShouldContain("This confirmation link is not valid or has expired.");
    }

    [Fact]
    public async Task Changing_the_email_through_the_api_to_an_address_another_account_uses_is_a_409_and_nothing_is_sent_or_changed()
    {
        var email = await RegisterConfirmedAsync();
        var taken = await RegisterConfirmedAsync();
        var mailsToTaken = factory.MailTo(taken).Count;
        using var api = factory.AnonymousApi();
        api.DefaultRequestHeaders.Authorization = new("Bearer", await factory.GetBearerTokenAsync(email, OldPassword));

        // Typed in other letter case: addresses are compared as Identity normalises them.
        var asked = await api.PostAsJsonAsync("/api/identity/manage/info", new { newEmail = taken.ToUpperInvariant() });

        var body = await asked.Content.ReadAsStringAsync();
        asked.StatusCode.ShouldBe(HttpStatusCode.Conflict, body);
        asked.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        body.ShouldContain("\"code\":\"identity.email_taken\"");
        factory.MailTo(taken).Count.ShouldBe(mailsToTaken, "the other account's owner gets no email about someone else's account");
        var info = await api.GetFromJsonAsync<Dictionary<string, object>>("/api/identity/manage/info");
        info!["email"].ToString().ShouldBe(email);
        (await AppClient.LoginAsync(factory.Browser(), email, OldPassword)).SetsAuthCookie().ShouldBeTrue("the account is unchanged");
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("j\u00f6rg@example.test")]
    [InlineData("two words@example.test")]
    public async Task Changing_the_email_through_the_api_to_an_address_the_account_could_not_sign_in_with_is_a_400_naming_the_field_and_nothing_is_sent(string newEmail)
    {
        var email = await RegisterConfirmedAsync();
        var before = factory.MailCount;
        using var api = factory.AnonymousApi();
        api.DefaultRequestHeaders.Authorization = new("Bearer", await factory.GetBearerTokenAsync(email, OldPassword));

        var asked = await api.PostAsJsonAsync("/api/identity/manage/info", new { newEmail });

        var body = await asked.Content.ReadAsStringAsync();
        asked.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        asked.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = System.Text.Json.JsonDocument.Parse(body);
        problem.RootElement.GetProperty("errors").GetProperty("NewEmail")[0].GetString().ShouldNotBeNullOrEmpty();
        factory.MailCount.ShouldBe(before, "no link is sent that could only fail");
    }

    [Fact]
    public async Task A_change_link_whose_address_another_account_took_meanwhile_is_refused_on_the_page_and_the_email_stays()
    {
        var email = await RegisterConfirmedAsync();
        var wanted = Users.NewEmail("wanted");
        using var api = factory.AnonymousApi();
        api.DefaultRequestHeaders.Authorization = new("Bearer", await factory.GetBearerTokenAsync(email, OldPassword));
        (await api.PostAsJsonAsync("/api/identity/manage/info", new { newEmail = wanted })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var link = LinkIn(factory.MailTo(wanted).ShouldHaveSingleItem());
        await RegisterThroughApiAsync(wanted);

        var confirmed = await factory.Browser().GetAsync(link);

        confirmed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var text = Html.Text(await confirmed.Content.ReadAsStringAsync());
        text.ShouldContain("Another account already uses this email address, so yours was not changed.");
        text.ShouldContain("Reference:");
        (await AppClient.LoginAsync(factory.Browser(), email, OldPassword)).SetsAuthCookie().ShouldBeTrue("the old address still signs in");
        (await AppClient.LoginAsync(factory.Browser(), wanted, OldPassword)).SetsAuthCookie().ShouldBeTrue("the other account keeps its address");
    }

    /// <summary>Registers through the API and follows the confirmation link; the password is <see cref="OldPassword"/>.</summary>
    private async Task<string> RegisterConfirmedAsync()
    {
        var email = Users.NewEmail("confirmed");
        await RegisterThroughApiAsync(email);
        var confirmed = await factory.Browser().GetAsync(LinkIn(factory.MailTo(email).Single()));
        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK);
        return email;
    }

    private async Task RegisterThroughApiAsync(string email)
    {
        using var api = factory.AnonymousApi();
        var response = await api.PostAsJsonAsync("/api/identity/register", new { email, password = OldPassword });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> RegisterThroughPageAsync(HttpClient client, string name, string email) =>
        AppClient.PostFormAsync(client, "/Identity/Register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = name,
            ["Input.Email"] = email,
            ["Input.Password"] = OldPassword,
            ["Input.ConfirmPassword"] = OldPassword,
        });

    private static Task<HttpResponseMessage> AskForResetAsync(HttpClient client, string email) =>
        AppClient.PostFormAsync(client, "/identity/forgot-password", new Dictionary<string, string> { ["Input.Email"] = email });

    private static Task<HttpResponseMessage> SubmitResetAsync(HttpClient client, string email, string code, string password) =>
        AppClient.PostFormAsync(client, "/identity/reset-password", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Code"] = code,
            ["Input.NewPassword"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    /// <summary>The one link of the email's HTML part, decoded.</summary>
    private static string LinkIn(MimeMessage mail)
    {
        var link = WebUtility.HtmlDecode(Href().Match(mail.HtmlBody.ShouldNotBeNull()).Groups[1].Value);
        link.ShouldNotBeNullOrEmpty("the email has a link");
        return link;
    }

    private static string CodeIn(MimeMessage mail)
    {
        var code = ResetCode().Match(mail.TextBody.ShouldNotBeNull()).Groups[1].Value;
        code.ShouldNotBeNullOrEmpty("the email has a reset code");
        return code;
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();

    [GeneratedRegex(@"reset code: (\S+)")]
    private static partial Regex ResetCode();

    [GeneratedRegex(@"code=[^&]+")]
    private static partial Regex CodeParameter();
}
