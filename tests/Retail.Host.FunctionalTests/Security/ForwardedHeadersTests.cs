using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Security;

/// <summary>
/// <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are honoured only from the proxies in
/// <c>ForwardedHeaders:KnownProxies</c> / <c>:KnownNetworks</c> (docs/security.md, "Behind a TLS-terminating proxy").
/// The in-memory test server has no connection address; <see cref="ConnectionAddressFactory"/> gives every request the
/// address a reverse proxy would connect from, as Kestrel would.
/// </summary>
public sealed class ForwardedHeadersIgnoredTests(RetailAppFactory app) : IClassFixture<RetailAppFactory>
{
    [Fact]
    public async Task Without_a_trusted_proxy_a_spoofed_client_address_does_not_get_past_the_checkout_limit()
    {
        var codes = await ForwardedHeaderChecks.SixCheckoutsWithSpoofedAddressesAsync(app);
        codes.ShouldBe([201, 201, 201, 201, 201, 429]);
    }

    [Fact]
    public async Task Without_a_trusted_proxy_x_forwarded_proto_https_does_not_make_cookies_secure()
    {
        var cookies = await ForwardedHeaderChecks.LoginPageCookiesAsync(app, forwardedProto: "https");
        cookies.ShouldContain(c => c.StartsWith("retail.antiforgery=", StringComparison.Ordinal));
        cookies.ShouldAllBe(c => !ForwardedHeaderChecks.IsSecure(c));
    }
}

/// <summary>The connection comes from the configured proxy: its forwarded scheme counts.</summary>
public sealed class ForwardedHeadersTrustedProxyTests(ForwardedHeadersTrustedProxyTests.TrustedProxyApp app)
    : IClassFixture<ForwardedHeadersTrustedProxyTests.TrustedProxyApp>
{
    public sealed class TrustedProxyApp() : ConnectionAddressFactory(connectFrom: "10.20.30.40", knownProxies: "10.20.30.40");

    [Fact]
    public async Task X_forwarded_proto_https_from_the_trusted_proxy_makes_the_cookies_secure()
    {
        var cookies = await ForwardedHeaderChecks.LoginPageCookiesAsync(app, forwardedProto: "https");
        cookies.ShouldContain(c => c.StartsWith("retail.antiforgery=", StringComparison.Ordinal));
        cookies.ShouldAllBe(c => ForwardedHeaderChecks.IsSecure(c));
    }

    [Fact]
    public async Task The_sign_in_cookie_is_secure_behind_the_trusted_proxy()
    {
        // The browser talks HTTPS to the proxy, so it sends its Secure cookies; the app sees plain HTTP from the proxy.
        using var client = app.AnonymousApi();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/Identity/Login");
        page.Headers.Add("X-Forwarded-Proto", "https");
        var form = await client.SendAsync(page);
        var antiforgery = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("retail.antiforgery=", StringComparison.Ordinal));
        using var login = new HttpRequestMessage(HttpMethod.Post, "/Identity/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = Users.Customer,
                ["Input.Password"] = RetailAppFactory.DemoPassword,
                ["__RequestVerificationToken"] = Html.AntiforgeryToken(await form.Content.ReadAsStringAsync()),
            }),
        };
        login.Headers.Add("X-Forwarded-Proto", "https");
        login.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        var response = await client.SendAsync(login);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await response.Content.ReadAsStringAsync()));
        var auth = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AppClient.AuthCookie + "=", StringComparison.Ordinal));
        ForwardedHeaderChecks.IsSecure(auth).ShouldBeTrue(auth);
    }

    [Fact]
    public async Task Plain_http_from_the_trusted_proxy_keeps_cookies_without_secure()
    {
        var cookies = await ForwardedHeaderChecks.LoginPageCookiesAsync(app, forwardedProto: null);
        cookies.ShouldNotBeEmpty();
        cookies.ShouldAllBe(c => !ForwardedHeaderChecks.IsSecure(c));
    }

    [Fact]
    public async Task Forwarded_client_addresses_do_not_get_past_the_per_user_checkout_limit()
    {
        var codes = await ForwardedHeaderChecks.SixCheckoutsWithSpoofedAddressesAsync(app);
        codes.ShouldBe([201, 201, 201, 201, 201, 429]);
    }
}

/// <summary>A proxy is configured, but the request comes from another address: its headers are ignored.</summary>
public sealed class ForwardedHeadersUntrustedSenderTests(ForwardedHeadersUntrustedSenderTests.OtherProxyApp app)
    : IClassFixture<ForwardedHeadersUntrustedSenderTests.OtherProxyApp>
{
    public sealed class OtherProxyApp() : ConnectionAddressFactory(connectFrom: "203.0.113.7", knownProxies: "10.20.30.40", knownNetworks: "10.1.0.0/16");

    [Fact]
    public async Task X_forwarded_proto_from_an_address_that_is_not_a_trusted_proxy_is_ignored()
    {
        var cookies = await ForwardedHeaderChecks.LoginPageCookiesAsync(app, forwardedProto: "https");
        cookies.ShouldContain(c => c.StartsWith("retail.antiforgery=", StringComparison.Ordinal));
        cookies.ShouldAllBe(c => !ForwardedHeaderChecks.IsSecure(c));
    }
}

/// <summary>The app with forwarded-headers settings, every request arriving from <c>connectFrom</c>.</summary>
public class ConnectionAddressFactory(string connectFrom, string? knownProxies = null, string? knownNetworks = null) : RetailAppFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["ForwardedHeaders:KnownProxies"] = knownProxies;
        settings["ForwardedHeaders:KnownNetworks"] = knownNetworks;
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var address = IPAddress.Parse(connectFrom);
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter>(_ => new ConnectionAddress(address)));
    }

    private sealed class ConnectionAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

internal static class ForwardedHeaderChecks
{
    public static bool IsSecure(string setCookie) =>
        setCookie.Split(';', StringSplitOptions.TrimEntries).Any(a => a.Equals("secure", StringComparison.OrdinalIgnoreCase));

    /// <summary>The Set-Cookie headers of the login page (antiforgery cookie), with the given X-Forwarded-Proto.</summary>
    public static async Task<List<string>> LoginPageCookiesAsync(RetailAppFactory app, string? forwardedProto)
    {
        using var client = app.Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Identity/Login");
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return response.Headers.TryGetValues("Set-Cookie", out var cookies) ? [.. cookies] : [];
    }

    /// <summary>One fresh customer checks out six times, each request claiming another client address.</summary>
    public static async Task<int[]> SixCheckoutsWithSpoofedAddressesAsync(RetailAppFactory app)
    {
        using var catalog = await app.ApiClientAsync(Users.Catalog);
        await CheckoutLoad.SetStockAsync(catalog, "HK-0008", 100);
        using var customer = await CheckoutLoad.LoginAsync(app, await CheckoutLoad.RegisterAsync(app, "xff"));
        var codes = new List<int>();
        for (var i = 1; i <= 6; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
            {
                Content = System.Net.Http.Json.JsonContent.Create(CheckoutLoad.Body("HK-0008")),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i}, 203.0.113.{i}");
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Real-IP", $"192.0.2.{i}");
            request.Headers.Add("Forwarded", $"for=192.0.2.{i};proto=https");
            using var response = await customer.Client.SendAsync(request);
            codes.Add((int)response.StatusCode);
        }

        return [.. codes];
    }
}
