using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Modules.Identity.Infrastructure.Persistence;
using Retail.Testing;

namespace Retail.Host.FunctionalTests;

/// <summary>The app with its own mailbox, a clock the test moves (ADR 0012's window) and the Identity module's logs kept.</summary>
public sealed class AdminStaffAppFactory : MailboxAppFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CapturingLoggerProvider Logs { get; } = new();

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Logging:LogLevel:Retail.Modules.Identity"] = "Information";
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<ILoggerProvider>(Logs);
        });
    }
}

/// <summary>
/// How a shop gets its staff: an admin invites a staff member on the users page (the emailed link sets the password), and
/// grants, removes, locks and unlocks, within the rules (only a super-admin touches admin and super-admin, nobody changes
/// their own account, the last super-admin stays, customers and partners stay what they are). A removed role stops working
/// within ADR 0012's window, on a clock the test moves.
/// </summary>
public sealed partial class AdminStaffAccountsTests(AdminStaffAppFactory factory) : IClassFixture<AdminStaffAppFactory>
{
    private const string Password = "Staff-Passw0rd!42";
    private const string Page = "/admin/users";
    private const string InvitationSubject = "You have a Retail staff account";

    /// <summary>Past the default one-minute bound, well inside the token's hour and the cookie's eight hours.</summary>
    private static readonly TimeSpan PastTheInterval = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task An_invited_support_member_sets_a_password_from_the_email_signs_in_and_opens_the_returns_queue()
    {
        var email = Users.NewEmail("invited");
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);

        var invited = await InviteAsync(admin, email, "Ivy Invited", "support");

        invited.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await invited.Content.ReadAsStringAsync()));
        var listed = await (await admin.GetAsync(invited.RedirectTarget().PathAndQuery)).Content.ReadAsStringAsync();
        Html.Text(listed).ShouldContain($"Invitation sent to {email}");
        Html.TableRows(listed).ShouldContain(r => r.Contains(email) && r.Contains("support"));
        (await AppClient.SubmitLoginAsync(factory.Browser(), email, Password)).StatusCode
            .ShouldBe(HttpStatusCode.Unauthorized, "no password exists before the invited member chooses one");

        var mail = factory.MailTo(email).ShouldHaveSingleItem();
        mail.Subject.ShouldBe(InvitationSubject);
        mail.HtmlBody.ShouldNotBeNull().ShouldContain("Hello Ivy Invited");
        var link = LinkIn(mail);
        link.ShouldStartWith("http://localhost/identity/reset-password?");
        mail.TextBody.ShouldNotBeNull().ShouldContain(link);
        using var member = factory.Browser();
        var form = await (await member.GetAsync(link)).Content.ReadAsStringAsync();
        var code = InputValue(form, "Input.Code");

        var set = await AppClient.PostFormAsync(member, link, new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Code"] = code,
            ["Input.NewPassword"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });

        set.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await set.Content.ReadAsStringAsync()));
        await AppClient.LoginAsync(member, email, Password);
        var queue = await member.GetAsync("/staff/returns");
        queue.StatusCode.ShouldBe(HttpStatusCode.OK, "a support member opens the support queue");
        (await member.GetAsync(Page)).RedirectTarget().AbsolutePath.ShouldBe("/Identity/AccessDenied", "support is not admin");

        // The link went to the address, so setting the password confirmed it: "Forgot your password?" now sends a reset code.
        await AppClient.PostFormAsync(factory.Browser(), "/identity/forgot-password", new Dictionary<string, string> { ["Input.Email"] = email });
        factory.MailTo(email).Count.ShouldBe(2);
        factory.MailTo(email).ShouldContain(m => m.Subject == "Reset your password");
    }

    [Fact]
    public async Task Inviting_an_email_that_has_an_account_says_so_and_sends_nothing()
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);
        var before = factory.MailCount;

        var response = await InviteAsync(admin, Users.Customer.ToUpperInvariant(), "Someone Else", "warehouse");

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var text = Html.Text(await response.Content.ReadAsStringAsync());
        text.ShouldContain("An account with this email already exists.");
        text.ShouldContain("Reference:");
        factory.MailCount.ShouldBe(before);
        (await RolesOfAsync(Users.Customer)).ShouldBe(["customer"]);
    }

    [Theory]
    [InlineData("not-an-email", "Nina", "support", "Invite.Email")]
    [InlineData("jörg@example.test", "Jörg", "support", "Invite.Email")]
    [InlineData("new@example.test", "", "support", "Invite.DisplayName")]
    [InlineData("new@example.test", "Nina", "customer", "Invite.Role")]
    [InlineData("new@example.test", "Nina", "partner", "Invite.Role")]
    [InlineData("new@example.test", "Nina", "", "Invite.Role")]
    public async Task An_invitation_with_bad_input_is_refused_beside_the_field_and_creates_nothing(string email, string name, string role, string field)
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);
        var before = factory.MailCount;

        var response = await InviteAsync(admin, email, name, role);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        Html.FieldError(await response.Content.ReadAsStringAsync(), field).ShouldNotBeNullOrWhiteSpace();
        factory.MailCount.ShouldBe(before);
        (await UserIdOrNullAsync("new@example.test")).ShouldBeNull();
    }

    [Fact]
    public async Task A_plain_admin_cannot_invite_an_admin_nor_grant_admin_and_a_super_admin_can()
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);
        var invitee = Users.NewEmail("would-be-admin");
        var before = factory.MailCount;

        var invite = await InviteAsync(admin, invitee, "Would Be", "admin");

        invite.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        Html.Text(await invite.Content.ReadAsStringAsync()).ShouldContain("Only a super-admin can grant or remove the admin and super-admin roles.");
        factory.MailCount.ShouldBe(before);
        (await UserIdOrNullAsync(invitee)).ShouldBeNull();
        var html = await (await admin.GetAsync(Page)).Content.ReadAsStringAsync();
        html.ShouldNotContain("<option value=\"admin\"", customMessage: "a plain admin is not offered admin");

        var staff = await CreateUserAsync("support");
        var grant = await ChangeRoleAsync(admin, staff, "admin", "Grant");

        grant.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        Html.Text(await grant.Content.ReadAsStringAsync()).ShouldContain("Only a super-admin can grant or remove the admin and super-admin roles.");
        (await RolesOfAsync(staff)).ShouldBe(["support"]);

        using var superAdmin = await factory.SignedInBrowserAsync(Users.SuperAdmin);
        (await (await superAdmin.GetAsync(Page)).Content.ReadAsStringAsync()).ShouldContain("<option value=\"admin\"");
        (await ChangeRoleAsync(superAdmin, staff, "admin", "Grant")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await RolesOfAsync(staff)).ShouldBe(["admin", "support"]);

        // An admin's account is a super-admin's to change: a plain admin cannot strip a fellow admin either.
        var strip = await ChangeRoleAsync(admin, staff, "support", "Remove");
        strip.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await RolesOfAsync(staff)).ShouldBe(["admin", "support"]);
    }

    [Fact]
    public async Task An_admin_grants_and_removes_staff_roles_and_each_change_is_logged_with_who_whom_and_what()
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);
        var staff = await CreateUserAsync("warehouse");
        var mark = factory.Logs.Mark();

        (await ChangeRoleAsync(admin, staff, "finance", "Grant")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await RolesOfAsync(staff)).ShouldBe(["finance", "warehouse"]);
        (await ChangeRoleAsync(admin, staff, "warehouse", "Remove")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await RolesOfAsync(staff)).ShouldBe(["finance"]);

        var adminId = await UserIdAsync(Users.Admin);
        var staffId = await UserIdAsync(staff);
        var logged = factory.Logs.Since(mark).Select(e => e.Message).ToList();
        logged.ShouldContain(m => m.Contains(adminId) && m.Contains(staffId) && m.Contains("granted") && m.Contains("finance"));
        logged.ShouldContain(m => m.Contains(adminId) && m.Contains(staffId) && m.Contains("removed") && m.Contains("warehouse"));
    }

    [Fact]
    public async Task Nobody_changes_their_own_roles_or_locks_themselves()
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);
        using var superAdmin = await factory.SignedInBrowserAsync(Users.SuperAdmin);

        var demote = await ChangeRoleAsync(admin, Users.Admin, "admin", "Remove");
        var promote = await ChangeRoleAsync(admin, Users.Admin, "finance", "Grant");
        var lockSelf = await LockAsync(admin, Users.Admin, "Lock");
        var superDemote = await ChangeRoleAsync(superAdmin, Users.SuperAdmin, "super-admin", "Remove");

        foreach (var response in new[] { demote, promote, lockSelf, superDemote })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            Html.Text(await response.Content.ReadAsStringAsync()).ShouldContain("You cannot change your own account here");
        }

        (await RolesOfAsync(Users.Admin)).ShouldBe(["admin"]);
        (await RolesOfAsync(Users.SuperAdmin)).ShouldBe(["super-admin"]);
        await AppClient.LoginAsync(factory.Browser(), Users.Admin, Users.PasswordOf(Users.Admin));
    }

    [Fact]
    public async Task The_last_super_admin_never_loses_the_role_even_to_a_session_that_still_says_super_admin()
    {
        using var first = await factory.SignedInBrowserAsync(Users.SuperAdmin);
        var second = await CreateUserAsync("support");
        (await ChangeRoleAsync(first, second, "super-admin", "Grant")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var secondBrowser = factory.Browser();
        await AppClient.LoginAsync(secondBrowser, second, Password);

        // Two super-admins: one may take the role from the other.
        (await ChangeRoleAsync(secondBrowser, Users.SuperAdmin, "super-admin", "Remove")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await RolesOfAsync(Users.SuperAdmin)).ShouldBeEmpty();

        try
        {
            // Within the window the first one's cookie still says super-admin; the account count decides, not the cookie.
            var last = await ChangeRoleAsync(first, second, "super-admin", "Remove");

            last.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            Html.Text(await last.Content.ReadAsStringAsync()).ShouldContain("the shop's last super-admin");
            (await RolesOfAsync(second)).ShouldBe(["super-admin", "support"]);
        }
        finally
        {
            // The seeded super-admin is everyone's in this class: give the role back.
            (await ChangeRoleAsync(secondBrowser, Users.SuperAdmin, "super-admin", "Grant")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }
    }

    [Fact]
    public async Task A_removed_role_stops_working_for_the_users_cookie_and_token_after_the_session_window()
    {
        var staff = await CreateUserAsync("support");
        using var member = factory.Browser();
        await AppClient.LoginAsync(member, staff, Password);
        var token = await factory.GetBearerTokenAsync(staff, Password);
        (await member.GetAsync("/staff/returns")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);

        (await ChangeRoleAsync(admin, staff, "support", "Remove")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        factory.Clock.Advance(PastTheInterval);

        var queue = await member.GetAsync("/staff/returns");
        queue.StatusCode.ShouldBe(HttpStatusCode.Redirect, "the cookie issued with the support role");
        queue.RedirectTarget().AbsolutePath.ShouldBe("/Identity/Login");
        using var api = factory.AnonymousApi();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await api.GetAsync("/api/identity/manage/info")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the token issued with the support role");

        using var again = factory.Browser();
        await AppClient.LoginAsync(again, staff, Password);
        (await again.GetAsync("/staff/returns")).RedirectTarget().AbsolutePath.ShouldBe("/Identity/AccessDenied", "a new sign-in has no support role");
    }

    [Theory]
    [InlineData(Users.Customer, "customer")]
    [InlineData(null, "partner")]
    public async Task A_customer_or_partner_account_is_not_turned_into_staff(string? existing, string role)
    {
        var target = existing ?? await CreateUserAsync(role);
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);

        var response = await ChangeRoleAsync(admin, target, "support", "Grant");

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        Html.Text(await response.Content.ReadAsStringAsync()).ShouldContain("staff roles are for staff accounts");
        (await RolesOfAsync(target)).ShouldBe([role]);
    }

    [Fact]
    public async Task An_admin_locks_a_staff_account_which_can_no_longer_sign_in_and_unlocks_it()
    {
        var staff = await CreateUserAsync("finance");
        using var member = factory.Browser();
        await AppClient.LoginAsync(member, staff, Password);
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);

        (await LockAsync(admin, staff, "Lock")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await AppClient.SubmitLoginAsync(factory.Browser(), staff, Password)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "locked");
        factory.Clock.Advance(PastTheInterval);
        (await member.GetAsync("/staff/returns")).RedirectTarget().AbsolutePath.ShouldBe("/Identity/Login", "the open session ends too");
        Html.TableRows(await (await admin.GetAsync(Page + "?search=" + Uri.EscapeDataString(staff))).Content.ReadAsStringAsync())
            .ShouldContain(r => r.Contains(staff) && r.Contains("Locked out"));

        (await LockAsync(admin, staff, "Unlock")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await AppClient.LoginAsync(factory.Browser(), staff, Password);
    }

    [Fact]
    public async Task A_plain_admin_cannot_lock_a_super_admin()
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);

        var response = await LockAsync(admin, Users.SuperAdmin, "Lock");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await AppClient.LoginAsync(factory.Browser(), Users.SuperAdmin, Users.PasswordOf(Users.SuperAdmin));
    }

    [Fact]
    public async Task A_forged_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);
        var email = Users.NewEmail("forged");
        var staff = await CreateUserAsync("support");
        var before = factory.MailCount;

        var invite = await AppClient.PostFormWithoutTokenAsync(admin, Page + "?handler=Invite", new Dictionary<string, string>
        {
            ["Invite.Email"] = email, ["Invite.DisplayName"] = "Forged", ["Invite.Role"] = "support",
        });
        var role = await AppClient.PostFormWithoutTokenAsync(admin, Page + "?handler=Role", new Dictionary<string, string>
        {
            ["Change.UserId"] = await UserIdAsync(staff), ["Change.Role"] = "finance", ["Change.Action"] = "Grant",
        });

        invite.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        role.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        factory.MailCount.ShouldBe(before);
        (await UserIdOrNullAsync(email)).ShouldBeNull();
        (await RolesOfAsync(staff)).ShouldBe(["support"]);
    }

    [Theory]
    [InlineData(Users.Support)]
    [InlineData(Users.Catalog)]
    [InlineData(Users.Customer)]
    public async Task A_user_who_is_not_an_admin_can_neither_open_the_page_nor_post_to_it(string email)
    {
        using var browser = await factory.SignedInBrowserAsync(email);

        (await browser.GetAsync(Page)).RedirectTarget().AbsolutePath.ShouldBe("/Identity/AccessDenied");
        // With a token from a page the user may open, so only the role stops the post.
        var post = await AppClient.PostFormAsync(browser, "/Identity/Login", new Dictionary<string, string>
        {
            ["Invite.Email"] = Users.NewEmail("sneaky"), ["Invite.DisplayName"] = "Sneaky", ["Invite.Role"] = "support",
        }, postTo: Page + "?handler=Invite");
        post.StatusCode.ShouldBeOneOf(HttpStatusCode.Redirect, HttpStatusCode.Forbidden, HttpStatusCode.BadRequest);
        if (post.StatusCode == HttpStatusCode.Redirect)
        {
            post.RedirectTarget().AbsolutePath.ShouldBe("/Identity/AccessDenied");
        }

        (await RolesOfAsync(email)).Count.ShouldBe(1);
    }

    private async Task<HttpResponseMessage> InviteAsync(HttpClient admin, string email, string name, string role) =>
        await AppClient.PostFormAsync(admin, Page, new Dictionary<string, string>
        {
            ["Invite.Email"] = email, ["Invite.DisplayName"] = name, ["Invite.Role"] = role,
        }, postTo: Page + "?handler=Invite");

    private async Task<HttpResponseMessage> ChangeRoleAsync(HttpClient admin, string email, string role, string action) =>
        await AppClient.PostFormAsync(admin, Page, new Dictionary<string, string>
        {
            ["Change.UserId"] = await UserIdAsync(email), ["Change.Role"] = role, ["Change.Action"] = action,
        }, postTo: Page + "?handler=Role");

    private async Task<HttpResponseMessage> LockAsync(HttpClient admin, string email, string handler) =>
        await AppClient.PostFormAsync(admin, Page, new Dictionary<string, string> { ["userId"] = await UserIdAsync(email) }, postTo: Page + "?handler=" + handler);

    /// <summary>A confirmed account with a password and one role, made directly (the invitation itself has its own test).</summary>
    private async Task<string> CreateUserAsync(string role)
    {
        var email = Users.NewEmail(role);
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RetailUser>>();
        var user = new RetailUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test " + role, CreatedAt = factory.Clock.GetUtcNow() };
        (await users.CreateAsync(user, Password)).Succeeded.ShouldBeTrue();
        (await users.AddToRoleAsync(user, role)).Succeeded.ShouldBeTrue();
        return email;
    }

    private async Task<string?> UserIdOrNullAsync(string email)
    {
        using var scope = factory.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<RetailUser>>().FindByEmailAsync(email))?.Id;
    }

    private async Task<string> UserIdAsync(string email) => (await UserIdOrNullAsync(email)).ShouldNotBeNull(email);

    private async Task<IReadOnlyList<string>> RolesOfAsync(string email)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RetailUser>>();
        return [.. (await users.GetRolesAsync((await users.FindByEmailAsync(email)).ShouldNotBeNull())).Order(StringComparer.Ordinal)];
    }

    private static string LinkIn(MimeMessage mail)
    {
        var link = WebUtility.HtmlDecode(Href().Match(mail.HtmlBody.ShouldNotBeNull()).Groups[1].Value);
        link.ShouldNotBeNullOrEmpty("the email has a link");
        return link;
    }

    private static string InputValue(string html, string name)
    {
        var input = Regex.Match(html, $"""<input[^>]*name="{Regex.Escape(name)}"[^>]*>""");
        input.Success.ShouldBeTrue($"the form has a {name} field");
        return WebUtility.HtmlDecode(Regex.Match(input.Value, """\bvalue="([^"]*)""").Groups[1].Value);
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();
}
