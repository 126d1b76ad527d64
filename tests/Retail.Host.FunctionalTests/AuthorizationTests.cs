using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>Deny-by-default and the role pages: who may open what.</summary>
public sealed class AuthorizationTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Theory]
    [InlineData("/admin/catalog")]
    [InlineData("/admin/catalog/edit")]
    [InlineData("/admin/catalog/stock/EL-0001")]
    [InlineData("/admin/users")]
    [InlineData("/hangfire")]
    [InlineData("/Identity/Logout")]
    public async Task Anonymous_visitors_are_sent_to_the_login_page_with_a_return_url(string path)
    {
        using var client = factory.Browser();

        var response = await client.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var target = response.RedirectTarget();
        target.AbsolutePath.ShouldBe("/Identity/Login");
        QueryHelpers.ParseQuery(target.Query)["ReturnUrl"].ToString().ShouldBe(path);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/catalog")]
    [InlineData("/catalog/product/EL-0001")]
    [InlineData("/Identity/Login")]
    [InlineData("/Identity/Register")]
    public async Task Public_pages_are_open_to_anonymous_visitors(string path)
    {
        using var client = factory.Browser();

        (await client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(Users.Customer, "/admin/catalog")]
    [InlineData(Users.Support, "/admin/catalog")]
    [InlineData(Users.Warehouse, "/admin/catalog/edit")]
    [InlineData(Users.Customer, "/admin/users")]
    [InlineData(Users.Catalog, "/admin/users")]
    [InlineData(Users.Finance, "/admin/users")]
    public async Task Signed_in_users_without_the_role_are_denied(string email, string path)
    {
        using var client = await factory.SignedInBrowserAsync(email);

        var response = await client.GetAsync(path);

        response.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.Redirect, HttpStatusCode.Forbidden);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            response.RedirectTarget().AbsolutePath.ShouldBe("/Identity/AccessDenied");
            var denied = await client.GetAsync(response.RedirectTarget().PathAndQuery);
            denied.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            Html.Text(await denied.Content.ReadAsStringAsync()).ShouldContain("No access");
        }
    }

    [Fact]
    public async Task A_catalog_admin_may_open_the_catalog_pages()
    {
        using var client = await factory.SignedInBrowserAsync(Users.Catalog);

        foreach (var path in new[] { "/admin/catalog", "/admin/catalog/edit", "/admin/catalog/edit/EL-0001", "/admin/catalog/stock/EL-0001" })
        {
            var response = await client.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }
    }

    [Fact]
    public async Task An_admin_may_open_the_users_page_and_sees_the_accounts()
    {
        using var client = await factory.SignedInBrowserAsync(Users.Admin);

        var response = await client.GetAsync("/admin/users");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = Html.Text(await response.Content.ReadAsStringAsync());
        text.ShouldContain(Users.Catalog);
        text.ShouldContain("catalog-admin");
    }

    [Fact]
    public async Task A_users_page_number_past_int_range_is_refused_not_answered_with_the_first_page()
    {
        using var client = await factory.SignedInBrowserAsync(Users.Admin);

        // (page - 1) * pageSize overflowed int and wrapped to a negative offset, which SQLite reads as 0: page 1 again.
        var response = await client.GetAsync($"/admin/users?page={int.MaxValue}");

        var text = Html.Text(await response.Content.ReadAsStringAsync());
        text.ShouldNotContain(Users.Catalog, customMessage: "a page past the end lists no accounts");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_job_dashboard_is_for_admins_only()
    {
        using (var anonymous = factory.Browser())
        {
            var response = await anonymous.GetAsync("/hangfire");
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            response.RedirectTarget().AbsolutePath.ShouldBe("/Identity/Login");
        }

        foreach (var email in new[] { Users.Customer, Users.Catalog })
        {
            using var notAdmin = await factory.SignedInBrowserAsync(email);
            var response = await notAdmin.GetAsync("/hangfire");
            response.StatusCode.ShouldNotBe(HttpStatusCode.OK, email);
            response.StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect);
        }

        using var admin = await factory.SignedInBrowserAsync(Users.Admin);
        var dashboard = await admin.GetAsync("/hangfire");
        dashboard.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await dashboard.Content.ReadAsStringAsync()).ShouldContain("Retail jobs");
    }

    [Fact]
    public async Task The_super_admin_may_open_every_staff_page()
    {
        using var client = await factory.SignedInBrowserAsync(Users.SuperAdmin);

        foreach (var path in new[] { "/admin/users", "/admin/catalog", "/admin/catalog/stock/EL-0001", "/hangfire" })
        {
            (await client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }
    }

    /// <summary>
    /// Requests without a bearer token or the sign-in cookie skip authentication (it could only find them anonymous) and
    /// are still challenged where a user is needed; requests with either are authenticated as before.
    /// </summary>
    [Fact]
    public async Task Only_requests_with_a_token_or_the_sign_in_cookie_are_authenticated()
    {
        const string Authenticate = "aspnetcore.authentication.authenticate.duration";
        using var measurements = new HostMeasurements(factory.Services.GetRequiredService<IMeterFactory>(), Authenticate);
        using var anonymous = factory.Browser();
        using var api = factory.AnonymousApi();

        (await anonymous.GetAsync("/flash/products")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("/orders")).RedirectTarget().AbsolutePath.ShouldBe("/Identity/Login");
        (await api.GetAsync("/api/identity/manage/info")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        measurements.Of(Authenticate).ShouldBeEmpty();

        using var cookie = await factory.SignedInBrowserAsync(Users.Customer);
        (await cookie.GetAsync("/orders")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/identity/manage/info");
        bearer.Headers.Authorization = new("Bearer", await factory.GetBearerTokenAsync(Users.Customer));
        (await api.SendAsync(bearer)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var succeeded = measurements.Of(Authenticate).Where(m => m.Tag("aspnetcore.authentication.result") == "success")
            .Select(m => m.Tag("aspnetcore.authentication.scheme")).ToList();
        succeeded.ShouldContain(IdentityConstants.ApplicationScheme);
        succeeded.ShouldContain(IdentityConstants.BearerScheme);
    }

    [Fact]
    public async Task Protected_apis_answer_401_to_anonymous_callers_instead_of_redirecting()
    {
        using var client = factory.AnonymousApi();

        var movements = await client.GetAsync("/api/catalog/products/EL-0001/stock-movements");
        var info = await client.GetAsync("/api/identity/manage/info");

        movements.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        info.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        movements.Headers.Location.ShouldBeNull();
    }

    [Fact]
    public async Task A_cookie_signed_in_customer_gets_403_from_an_admin_api()
    {
        using var client = await factory.SignedInBrowserAsync(Users.Customer);

        var response = await client.GetAsync("/api/catalog/products/EL-0001/stock-movements");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Headers.Location.ShouldBeNull();
    }

    [Fact]
    public async Task After_sign_out_the_staff_pages_are_closed_again()
    {
        using var client = await factory.SignedInBrowserAsync(Users.Catalog);
        (await client.GetAsync("/admin/catalog")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var signOut = await AppClient.PostFormAsync(client, "/Identity/Logout", new Dictionary<string, string>());

        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await client.GetAsync("/admin/catalog");
        after.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.RedirectTarget().AbsolutePath.ShouldBe("/Identity/Login");
    }
}
