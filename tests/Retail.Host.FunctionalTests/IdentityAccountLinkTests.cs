using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Testing;

namespace Retail.Host.FunctionalTests;

/// <summary>The mailbox app with extra settings and its logs kept.</summary>
public sealed class AccountLinkAppFactory(IReadOnlyDictionary<string, string?> extra) : MailboxAppFactory
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }

    public IReadOnlyList<CapturingLoggerProvider.Entry> HostHeaderWarnings =>
        [.. Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("Identity:PublicBaseUrl", StringComparison.Ordinal))];
}

/// <summary>
/// Reset-link poisoning: the links in account emails must not follow a Host header the client forged. Production either
/// names its public address (<c>Identity:PublicBaseUrl</c>) or pins <c>AllowedHosts</c>, and is warned at start when it
/// does neither.
/// </summary>
public sealed partial class IdentityAccountLinkTests
{
    private const string ForgedHost = "http://attacker.example";

    [Fact]
    public async Task Production_that_trusts_any_host_without_a_public_base_url_is_warned_once_at_start_naming_both_settings()
    {
        using var app = new AccountLinkAppFactory(new Dictionary<string, string?>());
        using var client = app.AnonymousApi();
        (await client.GetAsync("/health/live")).EnsureSuccessStatusCode();

        var warning = app.HostHeaderWarnings.ShouldHaveSingleItem();
        warning.Message.ShouldContain("AllowedHosts");
        warning.Message.ShouldContain("Host header");
    }

    [Fact]
    public async Task With_a_public_base_url_a_forged_host_header_does_not_change_the_reset_link_and_nothing_is_warned()
    {
        using var app = new AccountLinkAppFactory(new Dictionary<string, string?> { ["Identity:PublicBaseUrl"] = "https://shop.example.com/" });
        using var api = app.AnonymousApi();

        var forgot = await api.PostAsJsonAsync(ForgedHost + "/api/identity/forgotPassword", new { email = Users.Customer2 });

        forgot.StatusCode.ShouldBe(HttpStatusCode.OK, await forgot.Content.ReadAsStringAsync());
        var link = Href().Match(app.MailTo(Users.Customer2).ShouldHaveSingleItem().HtmlBody.ShouldNotBeNull()).Groups[1].Value;
        link.ShouldStartWith("https://shop.example.com/identity/reset-password?");
        app.HostHeaderWarnings.ShouldBeEmpty();
    }

    [Fact]
    public async Task With_a_public_base_url_the_email_change_link_starts_with_it_whatever_host_the_request_named()
    {
        using var app = new AccountLinkAppFactory(new Dictionary<string, string?> { ["Identity:PublicBaseUrl"] = "https://shop.example.com/" });
        using var api = app.AnonymousApi();
        api.DefaultRequestHeaders.Authorization = new("Bearer", await app.GetBearerTokenAsync(Users.Customer));
        var newEmail = Users.NewEmail("moved");

        var asked = await api.PostAsJsonAsync(ForgedHost + "/api/identity/manage/info", new { newEmail });

        asked.StatusCode.ShouldBe(HttpStatusCode.OK, await asked.Content.ReadAsStringAsync());
        var link = Href().Match(app.MailTo(newEmail).ShouldHaveSingleItem().HtmlBody.ShouldNotBeNull()).Groups[1].Value;
        link.ShouldStartWith("https://shop.example.com/identity/confirm-email?");
    }

    [Fact]
    public async Task With_pinned_allowed_hosts_a_forged_host_header_is_refused_before_any_email_and_nothing_is_warned()
    {
        using var app = new AccountLinkAppFactory(new Dictionary<string, string?> { ["AllowedHosts"] = "localhost;shop.example.com" });
        using var api = app.AnonymousApi();

        var forged = await api.PostAsJsonAsync(ForgedHost + "/api/identity/forgotPassword", new { email = Users.Customer2 });
        var pinned = await api.PostAsJsonAsync("/api/identity/forgotPassword", new { email = Users.Customer2 });

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "ASP.NET Core's host filtering refuses a host AllowedHosts does not list");
        pinned.StatusCode.ShouldBe(HttpStatusCode.OK, await pinned.Content.ReadAsStringAsync());
        var link = Href().Match(app.MailTo(Users.Customer2).ShouldHaveSingleItem("only the allowed host's request sent an email").HtmlBody.ShouldNotBeNull()).Groups[1].Value;
        link.ShouldStartWith("http://localhost/identity/reset-password?");
        app.HostHeaderWarnings.ShouldBeEmpty();
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();
}
