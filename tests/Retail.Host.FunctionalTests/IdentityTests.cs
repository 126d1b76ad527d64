using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Retail.Host.FunctionalTests.FlashSales;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Modules.Identity.Infrastructure.Persistence;

namespace Retail.Host.FunctionalTests;

/// <summary>Sign-in, lockout and registration through the pages and ASP.NET Core Identity's API endpoints.</summary>
public sealed class IdentityTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    private const string InvalidCredentials = "Email or password is not correct.";
    private const string LockedOut = "This account is locked after too many failed sign-ins.";
    private const string StrongPassword = "Brand-New-Passw0rd!";
    private const string EmailCharacters = "An email address here may hold letters a–z, digits and the characters . _ - + ' ! # $ % & * / = ? ^ ` { | } ~ (no spaces or accented letters).";

    [Fact]
    public async Task Page_login_sets_the_cookie_and_returns_to_a_local_return_url()
    {
        using var client = factory.Browser();

        var response = await AppClient.LoginAsync(client, Users.Catalog, RetailAppFactory.DemoPassword, returnUrl: "/admin/catalog?search=kettle");

        response.SetsAuthCookie().ShouldBeTrue();
        response.Headers.Location!.OriginalString.ShouldBe("/admin/catalog?search=kettle");
        var page = await client.GetAsync("/admin/catalog?search=kettle");
        page.StatusCode.ShouldBe(HttpStatusCode.OK, "the cookie signs the browser in");
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("http://localhost.evil.example/")]
    public async Task Page_login_never_redirects_to_an_external_return_url(string returnUrl)
    {
        using var client = factory.Browser();

        var response = await AppClient.LoginAsync(client, Users.Customer, RetailAppFactory.DemoPassword, returnUrl);

        response.Headers.Location!.OriginalString.ShouldBe("/");
        response.SetsAuthCookie().ShouldBeTrue("the sign-in itself succeeds");
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_with_status_401_and_no_cookie()
    {
        using var client = factory.Browser();

        var response = await AppClient.SubmitLoginAsync(client, Users.Customer2, "Not-The-Passw0rd!");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.SetsAuthCookie().ShouldBeFalse();
        var html = await response.Content.ReadAsStringAsync();
        Html.Text(html).ShouldContain(InvalidCredentials);
        html.ShouldContain("name=\"Input.Email\"", customMessage: "the form is shown again");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_so_even_the_right_password_is_refused()
    {
        var email = Users.NewEmail("lockout");
        await RegisterThroughApiAsync(email, StrongPassword);
        using var client = factory.Browser();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var wrong = await AppClient.SubmitLoginAsync(client, email, $"Wrong-Passw0rd-{attempt}!");
            wrong.StatusCode.ShouldNotBe(HttpStatusCode.Redirect);
            wrong.SetsAuthCookie().ShouldBeFalse();
            if (attempt < 5)
            {
                wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"attempt {attempt}");
            }
        }

        var right = await AppClient.SubmitLoginAsync(client, email, StrongPassword);

        right.StatusCode.ShouldNotBe(HttpStatusCode.Redirect);
        right.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        right.SetsAuthCookie().ShouldBeFalse();
        Html.Text(await right.Content.ReadAsStringAsync()).ShouldContain(LockedOut);
        using var api = factory.AnonymousApi();
        (await api.PostAsJsonAsync("/api/identity/login", new { email, password = StrongPassword })).StatusCode
            .ShouldBe(HttpStatusCode.Unauthorized, "the API honours the lockout too");
    }

    [Fact]
    public async Task The_register_page_creates_a_customer_who_can_then_sign_in()
    {
        var email = Users.NewEmail("register");
        using var client = factory.Browser();

        var response = await RegisterThroughPageAsync(client, "New Customer", email, StrongPassword, StrongPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await response.Content.ReadAsStringAsync()));
        response.Headers.Location!.OriginalString.ShouldBe("/");
        response.SetsAuthCookie().ShouldBeTrue("a new customer is signed in at once");
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<RetailUser>>();
            var user = await users.FindByEmailAsync(email);
            user.ShouldNotBeNull();
            user.DisplayName.ShouldBe("New Customer");
            (await users.GetRolesAsync(user)).ShouldBe(["customer"]);
        }

        using var later = factory.Browser();
        await AppClient.LoginAsync(later, email, StrongPassword);
        (await later.GetAsync("/admin/catalog")).StatusCode.ShouldNotBe(HttpStatusCode.OK, "a customer is no catalog admin");
    }

    [Theory]
    [InlineData("o'brien")]
    [InlineData("first!last")]
    [InlineData("a&b=c")]
    [InlineData("team{shop}")]
    public async Task An_email_with_the_special_characters_email_addresses_allow_registers_and_signs_in(string localPart)
    {
        // The email is the user name, and Identity's default user name characters (letters, digits, -._@+) refused
        // everyday addresses such as o'brien@… with "Username … is invalid, can only contain letters or digits."
        var email = $"{localPart}-{Guid.NewGuid():N}@example.test";
        using var client = factory.Browser();

        var response = await RegisterThroughPageAsync(client, "Special Characters", email, StrongPassword, StrongPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await response.Content.ReadAsStringAsync()));
        using var later = factory.Browser();
        await AppClient.LoginAsync(later, email, StrongPassword);
        using var api = factory.AnonymousApi();
        (await api.PostAsJsonAsync("/api/identity/login", new { email, password = StrongPassword })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var secondEmail = $"{localPart}-{Guid.NewGuid():N}@example.test";
        (await api.PostAsJsonAsync("/api/identity/register", new { email = secondEmail, password = StrongPassword })).StatusCode
            .ShouldBe(HttpStatusCode.OK, "the API registers the same kind of address");
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("jörg")]
    [InlineData("tab\there")]
    public async Task An_email_with_characters_the_shop_cannot_take_is_a_400_that_talks_about_the_email_not_a_user_name(string localPart)
    {
        var email = $"{localPart}-{Guid.NewGuid():N}@example.test";
        using var client = factory.Browser();

        var response = await RegisterThroughPageAsync(client, "Odd Address", email, StrongPassword, StrongPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        Html.FieldError(html, "Input.Email").ShouldBe(EmailCharacters, $"page: {Html.Text(html)}");
        using var api = factory.AnonymousApi();
        var viaApi = await api.PostAsJsonAsync("/api/identity/register", new { email, password = StrongPassword });
        viaApi.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var problem = JsonDocument.Parse(await viaApi.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("errors").GetProperty("Email")[0].GetString().ShouldBe(EmailCharacters);
    }

    [Fact]
    public async Task An_admin_finds_a_customer_by_a_display_name_with_accented_letters()
    {
        var email = Users.NewEmail("accents");
        var name = $"Jörg Ångström {Guid.NewGuid():N}"[..40];
        using (var client = factory.Browser())
        {
            var registered = await RegisterThroughPageAsync(client, name, email, StrongPassword, StrongPassword);
            registered.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await registered.Content.ReadAsStringAsync()));
        }

        using var admin = await factory.SignedInBrowserAsync(Users.Admin);

        // Typed exactly as registered: SQLite's upper() leaves ö and Å alone while the term was upper-cased in .NET.
        var response = await admin.GetAsync($"/admin/users?search={Uri.EscapeDataString(name)}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Html.Text(await response.Content.ReadAsStringAsync()).ShouldContain(email);
    }

    [Fact]
    public async Task Registering_an_email_twice_is_a_409_with_a_message()
    {
        var email = Users.NewEmail("twice");
        using (var first = factory.Browser())
        {
            (await RegisterThroughPageAsync(first, "First", email, StrongPassword, StrongPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        using var second = factory.Browser();
        var response = await RegisterThroughPageAsync(second, "Second", email.ToUpperInvariant(), StrongPassword, StrongPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        response.SetsAuthCookie().ShouldBeFalse();
        Html.Text(await response.Content.ReadAsStringAsync()).ShouldContain("An account with this email already exists.");
    }

    [Theory]
    [InlineData("valid", "Short-1!", "Short-1!", "Input.Password")]
    [InlineData("valid", StrongPassword, "Another-Passw0rd!", "Input.ConfirmPassword")]
    [InlineData("not-an-email", StrongPassword, StrongPassword, "Input.Email")]
    [InlineData("valid", "alllowercase-no-digit", "alllowercase-no-digit", "Input.Password")]
    public async Task Bad_registration_input_is_a_400_with_the_field_message_and_creates_no_user(string emailKind, string password, string confirm, string field)
    {
        var email = emailKind == "valid" ? Users.NewEmail("bad-input") : "not-an-email";
        using var client = factory.Browser();

        var response = await RegisterThroughPageAsync(client, "Bad Input", email, password, confirm);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.SetsAuthCookie().ShouldBeFalse();
        var html = await response.Content.ReadAsStringAsync();
        Html.FieldError(html, field).ShouldNotBeNullOrWhiteSpace($"{field} should carry a message; page: {Html.Text(html)}");
        if (field == "Input.ConfirmPassword")
        {
            Html.FieldError(html, field).ShouldBe("The passwords do not match.");
        }

        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RetailUser>>();
        (await users.FindByEmailAsync(email)).ShouldBeNull();
    }

    [Fact]
    public async Task Api_register_then_login_gives_a_bearer_token_for_the_protected_endpoints()
    {
        var email = Users.NewEmail("api");
        await RegisterThroughApiAsync(email, StrongPassword);
        using var anonymous = factory.AnonymousApi();

        (await anonymous.GetAsync("/api/identity/manage/info")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var loginResponse = await anonymous.PostAsJsonAsync("/api/identity/login", new { email, password = StrongPassword });
        loginResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        var tokens = await loginResponse.Content.ReadFromJsonAsync<AccessTokenResponse>();
        tokens.ShouldNotBeNull();
        tokens.TokenType.ShouldBe("Bearer");
        tokens.ExpiresIn.ShouldBeGreaterThan(0);

        using var info = new HttpRequestMessage(HttpMethod.Get, "/api/identity/manage/info");
        info.Headers.Authorization = new("Bearer", tokens.AccessToken);
        var infoResponse = await anonymous.SendAsync(info);
        infoResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await infoResponse.Content.ReadFromJsonAsync<UserInfo>())!.Email.ShouldBe(email);

        var refreshed = await anonymous.PostAsJsonAsync("/api/identity/refresh", new { refreshToken = tokens.RefreshToken });
        refreshed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await refreshed.Content.ReadFromJsonAsync<AccessTokenResponse>())!.AccessToken.ShouldNotBeNullOrWhiteSpace();

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/identity/manage/info");
        forged.Headers.Authorization = new("Bearer", tokens.AccessToken[..^4] + "AAAA");
        (await anonymous.SendAsync(forged)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Api_login_accepts_the_email_as_registered_with_surrounding_spaces_like_the_login_page()
    {
        var email = Users.NewEmail("spaces");
        await RegisterThroughApiAsync($"  {email} ", StrongPassword);
        using var api = factory.AnonymousApi();

        // Registration stores the trimmed email; the login page trims too, so the API must not refuse the same input.
        var response = await api.PostAsJsonAsync("/api/identity/login", new { email = $"  {email} ", password = StrongPassword });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<AccessTokenResponse>())!.AccessToken.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Api_register_accepts_an_email_whose_name_part_is_longer_than_a_display_name()
    {
        // The API has no display name field: the name is taken from the email, and was refused past 100 characters.
        var email = $"{new string('a', 120)}-{Guid.NewGuid():N}@example.test";

        await RegisterThroughApiAsync(email, StrongPassword);

        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RetailUser>>();
        var user = await users.FindByEmailAsync(email);
        user.ShouldNotBeNull();
        user.DisplayName.ShouldBe(new string('a', 100));
    }

    [Fact]
    public async Task Api_register_refuses_a_taken_email_and_a_weak_password_with_problem_details()
    {
        using var api = factory.AnonymousApi();

        var taken = await api.PostAsJsonAsync("/api/identity/register", new { email = Users.Customer, password = StrongPassword });
        taken.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        using (var problem = JsonDocument.Parse(await taken.Content.ReadAsStringAsync()))
        {
            problem.RootElement.GetProperty("code").GetString().ShouldBe("identity.email_taken");
        }

        var weak = await api.PostAsJsonAsync("/api/identity/register", new { email = Users.NewEmail("weak"), password = "short" });
        weak.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        weak.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var validation = JsonDocument.Parse(await weak.Content.ReadAsStringAsync());
        validation.RootElement.GetProperty("code").GetString().ShouldBe("validation_failed");
        validation.RootElement.GetProperty("errors").TryGetProperty("Password", out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("/api/identity/register", """{"email":null,"password":"Brand-New-Passw0rd!"}""", "Email")]
    [InlineData("/api/identity/register", """{"email":"","password":"Brand-New-Passw0rd!"}""", "Email")]
    [InlineData("/api/identity/login", """{"email":null,"password":"Brand-New-Passw0rd!"}""", "Email")]
    [InlineData("/api/identity/login", """{"email":"customer@retail.local","password":null}""", "Password")]
    [InlineData("/api/identity/forgotPassword", """{"email":null}""", "Email")]
    [InlineData("/api/identity/resendConfirmationEmail", """{"email":null}""", "Email")]
    [InlineData("/api/identity/resetPassword", """{"email":null,"resetCode":"abc","newPassword":"Brand-New-Passw0rd!"}""", "Email")]
    [InlineData("/api/identity/resetPassword", """{"email":"customer@retail.local","resetCode":null,"newPassword":"Brand-New-Passw0rd!"}""", "ResetCode")]
    [InlineData("/api/identity/resetPassword", """{"email":"customer@retail.local","resetCode":"abc","newPassword":null}""", "NewPassword")]
    public async Task Api_identity_requests_with_a_null_field_are_a_400_naming_the_field_not_a_500(string path, string json, string field)
    {
        using var api = factory.AnonymousApi();

        using var body = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await api.PostAsync(path, body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_new_password_longer_than_sign_in_accepts_is_refused_by_the_api_and_the_old_one_still_works()
    {
        // The login page takes passwords of up to 200 characters; the API set longer ones, and the customer could then no
        // longer sign in on the page.
        var email = Users.NewEmail("long-password");
        await RegisterThroughApiAsync(email, StrongPassword);
        using var api = factory.AnonymousApi();
        api.DefaultRequestHeaders.Authorization = new("Bearer", await factory.GetBearerTokenAsync(email, StrongPassword));
        var tooLong = "Aa1!" + new string('x', 197);

        var response = await api.PostAsJsonAsync("/api/identity/manage/info", new { oldPassword = StrongPassword, newPassword = tooLong });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        using (var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            problem.RootElement.GetProperty("errors").GetProperty("NewPassword")[0].GetString().ShouldBe("A password has at most 200 characters.");
        }

        using var browser = factory.Browser();
        await AppClient.LoginAsync(browser, email, StrongPassword);
        using var anonymous = factory.AnonymousApi();
        var reset = await anonymous.PostAsJsonAsync("/api/identity/resetPassword", new { email, resetCode = "abc", newPassword = tooLong });
        reset.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await reset.Content.ReadAsStringAsync()).ShouldContain("A password has at most 200 characters.");
    }

    [Fact]
    public async Task A_bearer_token_authorizes_the_catalog_admin_api_by_role()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        using var customer = await factory.ApiClientAsync(Users.Customer);
        using var anonymous = factory.AnonymousApi();
        object Product(string sku) => new { sku, name = "Bearer Test Item", category = "office", price = 5.5m, initialStock = 3 };

        var forbiddenSku = CatalogApi.NewSku("CUST");
        (await customer.PostAsJsonAsync("/api/catalog/products", Product(forbiddenSku))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var anonymousSku = CatalogApi.NewSku("ANON");
        (await anonymous.PostAsJsonAsync("/api/catalog/products", Product(anonymousSku))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var allowedSku = CatalogApi.NewSku("CATA");
        var created = await catalogAdmin.PostAsJsonAsync("/api/catalog/products", Product(allowedSku));

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        created.Headers.Location!.OriginalString.ShouldBe($"/api/catalog/products/{allowedSku}");
        (await CatalogApi.GetProductAsync(anonymous, allowedSku)).Name.ShouldBe("Bearer Test Item");
        (await anonymous.GetAsync($"/api/catalog/products/{forbiddenSku}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetAsync($"/api/catalog/products/{anonymousSku}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task RegisterThroughApiAsync(string email, string password)
    {
        using var api = factory.AnonymousApi();
        var response = await api.PostAsJsonAsync("/api/identity/register", new { email, password });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> RegisterThroughPageAsync(HttpClient client, string name, string email, string password, string confirm) =>
        AppClient.PostFormAsync(client, "/Identity/Register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = name,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = confirm,
        });
}

/// <summary>The lockout message on a clock the test moves: it tells the time really left, not the full lockout.</summary>
public sealed class IdentityLockoutMessageTests(FrozenClockAppFactory factory) : IClassFixture<FrozenClockAppFactory>
{
    private const string Password = "Lockout-Passw0rd!";

    [Fact]
    public async Task A_locked_out_account_is_told_the_minutes_really_left_rounded_up()
    {
        var email = Users.NewEmail("lockout-left");
        using (var api = factory.AnonymousApi())
        {
            (await api.PostAsJsonAsync("/api/identity/register", new { email, password = Password })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var client = factory.Browser();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await AppClient.SubmitLoginAsync(client, email, $"Wrong-Passw0rd-{attempt}!");
        }

        (await LockoutEndOfAsync(email)).ShouldBe(factory.Clock.GetUtcNow() + TimeSpan.FromMinutes(15), "the lockout runs on the app's clock");

        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        var tenMinutesOn = await AppClient.SubmitLoginAsync(client, email, Password);

        tenMinutesOn.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var text = Html.Text(await tenMinutesOn.Content.ReadAsStringAsync());
        text.ShouldContain("This account is locked after too many failed sign-ins. Try again in 5 minutes.");
        text.ShouldNotContain("15 minutes");

        factory.Clock.Advance(TimeSpan.FromMinutes(4.5));
        Html.Text(await (await AppClient.SubmitLoginAsync(client, email, Password)).Content.ReadAsStringAsync())
            .ShouldContain("Try again in 1 minute.", customMessage: "half a minute left rounds up to one, in the singular");
    }

    [Fact]
    public async Task A_locked_out_account_signs_in_with_the_right_password_once_the_15_minutes_are_over_and_not_a_second_before()
    {
        var email = Users.NewEmail("lockout-ends");
        using var api = factory.AnonymousApi();
        (await api.PostAsJsonAsync("/api/identity/register", new { email, password = Password })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var client = factory.Browser();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await AppClient.SubmitLoginAsync(client, email, $"Wrong-Passw0rd-{attempt}!");
        }

        var lockedAt = factory.Clock.GetUtcNow();

        factory.Clock.SetUtcNow(lockedAt + TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        (await AppClient.SubmitLoginAsync(client, email, Password)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "a second before the end: still locked");
        (await api.PostAsJsonAsync("/api/identity/login", new { email, password = Password })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        factory.Clock.SetUtcNow(lockedAt + TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        (await AppClient.LoginAsync(factory.Browser(), email, Password)).SetsAuthCookie().ShouldBeTrue("the lockout is over");
        (await api.PostAsJsonAsync("/api/identity/login", new { email, password = Password })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<DateTimeOffset?> LockoutEndOfAsync(string email)
    {
        using var scope = factory.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<RetailUser>>().FindByEmailAsync(email);
        return user!.LockoutEnd;
    }
}

/// <summary>
/// An unknown email costs a sign-in the same password hashing as a wrong password, so the answer's timing does not tell
/// which emails have accounts. Timing itself is not measured (it would be flaky): the hasher's calls are counted.
/// </summary>
public sealed class IdentitySignInHashingTests(IdentitySignInHashingTests.CountingHasherAppFactory factory) : IClassFixture<IdentitySignInHashingTests.CountingHasherAppFactory>
{
    [Fact]
    public async Task An_unknown_email_verifies_a_password_hash_just_as_a_wrong_password_does()
    {
        using var client = factory.Browser();

        var before = factory.Hasher.Verifications;
        var wrongPassword = await AppClient.SubmitLoginAsync(client, Users.Customer2, "Not-The-Passw0rd!");
        var afterWrongPassword = factory.Hasher.Verifications;
        var unknownEmail = await AppClient.SubmitLoginAsync(client, Users.NewEmail("nobody"), "Not-The-Passw0rd!");
        var afterUnknownEmail = factory.Hasher.Verifications;

        wrongPassword.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        unknownEmail.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (afterWrongPassword - before).ShouldBe(1, "a known account's password is checked against its hash");
        (afterUnknownEmail - afterWrongPassword).ShouldBe(1, "an unknown email is checked against a stand-in hash at the same cost");
        Html.Text(await unknownEmail.Content.ReadAsStringAsync()).ShouldContain("Email or password is not correct.");
    }

    /// <summary>The app with Identity's own password hasher, its verifications counted.</summary>
    public sealed class CountingHasherAppFactory : RetailAppFactory
    {
        public CountingHasher Hasher { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IPasswordHasher<RetailUser>>(Hasher));
        }
    }

    public sealed class CountingHasher : IPasswordHasher<RetailUser>
    {
        private readonly PasswordHasher<RetailUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(RetailUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(RetailUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
