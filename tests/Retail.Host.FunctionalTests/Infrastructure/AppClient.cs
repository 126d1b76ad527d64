using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Retail.Host.FunctionalTests.Infrastructure;

/// <summary>Browser-like and script-like clients of the app under test.</summary>
public static class AppClient
{
    public const string AuthCookie = "retail.auth";

    /// <summary>A browser: keeps cookies, does not follow redirects (tests assert them).</summary>
    public static HttpClient Browser(this RetailAppFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A browser already signed in through the login page.</summary>
    public static async Task<HttpClient> SignedInBrowserAsync(this RetailAppFactory factory, string email)
    {
        var client = factory.Browser();
        await LoginAsync(client, email, Users.PasswordOf(email));
        return client;
    }

    /// <summary>Signs in through the login page (GET for the antiforgery token, then the form POST); asserts the 302.</summary>
    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var response = await SubmitLoginAsync(client, email, password, returnUrl);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"login of {email} should redirect; got {(int)response.StatusCode}: {Html.Text(await response.Content.ReadAsStringAsync())}");
        return response;
    }

    /// <summary>The login form as a browser submits it, whatever the outcome.</summary>
    public static async Task<HttpResponseMessage> SubmitLoginAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var loginPage = "/Identity/Login" + (returnUrl is null ? "" : "?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        var fields = new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        };
        if (returnUrl is not null)
        {
            fields["ReturnUrl"] = returnUrl;
        }

        return await PostFormAsync(client, loginPage, fields);
    }

    /// <summary>GETs the page, then POSTs the fields to the same address with the page's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, IDictionary<string, string> fields, string? postTo = null)
    {
        var form = await client.GetAsync(page);
        var html = await form.Content.ReadAsStringAsync();
        form.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {page} before posting its form");
        var withToken = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = Html.AntiforgeryToken(html) };
        return await client.PostAsync(postTo ?? page, new FormUrlEncodedContent(withToken));
    }

    /// <summary>POSTs the fields without an antiforgery token (a forged cross-site request).</summary>
    public static Task<HttpResponseMessage> PostFormWithoutTokenAsync(HttpClient client, string url, IDictionary<string, string> fields) =>
        client.PostAsync(url, new FormUrlEncodedContent(fields));

    /// <summary>A bearer token from <c>POST /api/identity/login</c>.</summary>
    public static async Task<string> GetBearerTokenAsync(this RetailAppFactory factory, string email, string? password = null)
    {
        using var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/identity/login", new { email, password = password ?? Users.PasswordOf(email) });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"API login of {email}: {await response.Content.ReadAsStringAsync()}");
        var token = await response.Content.ReadFromJsonAsync<AccessTokenResponse>();
        token.ShouldNotBeNull();
        token.TokenType.ShouldBe("Bearer");
        token.AccessToken.ShouldNotBeNullOrWhiteSpace();
        return token.AccessToken;
    }

    /// <summary>A script client that sends <c>Authorization: Bearer</c> and no cookies.</summary>
    public static async Task<HttpClient> ApiClientAsync(this RetailAppFactory factory, string email)
    {
        var token = await factory.GetBearerTokenAsync(email);
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>An anonymous script client (no cookies, no redirects).</summary>
    public static HttpClient AnonymousApi(this RetailAppFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>True when the response sets the sign-in cookie.</summary>
    public static bool SetsAuthCookie(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
        && cookies.Any(c => c.StartsWith(AuthCookie + "=", StringComparison.Ordinal) && !c.StartsWith(AuthCookie + "=;", StringComparison.Ordinal));

    /// <summary>The redirect target, resolved against the app's base address.</summary>
    public static Uri RedirectTarget(this HttpResponseMessage response)
    {
        response.Headers.Location.ShouldNotBeNull("a redirect needs a Location");
        var location = response.Headers.Location;
        return location.IsAbsoluteUri ? location : new Uri(new Uri("http://localhost"), location);
    }
}
