using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Monitoring;

/// <summary>Issue 7: the operations dashboard, its JSON feed, /metrics and the recent-logs search, over real HTTP.</summary>
[Collection(MetricsScrapeCollection.Name)]
public sealed partial class MonitoringDashboardTests(MonitoringDashboardTests.LogsAppFactory factory) : IClassFixture<MonitoringDashboardTests.LogsAppFactory>
{
    /// <summary>The shared factory, with the recent-logs provider taking Information entries (the default test level is Warning).</summary>
    public sealed class LogsAppFactory : RetailAppFactory
    {
        protected override IDictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            settings["Logging:RecentLogs:LogLevel:Default"] = "Information";
            return settings;
        }
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_and_the_feed_answers_401()
    {
        using var browser = factory.Browser();
        var page = await browser.GetAsync("/admin/dashboard");
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.RedirectTarget().AbsolutePath.ShouldBe("/Identity/Login");

        using var api = factory.AnonymousApi();
        (await api.GetAsync("/api/monitoring/dashboard")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await api.GetAsync("/api/monitoring/logs")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(Users.Customer)]
    [InlineData(Users.Catalog)]
    [InlineData(Users.Finance)]
    public async Task Non_admins_are_denied_the_page_and_the_feed(string email)
    {
        using var browser = await factory.SignedInBrowserAsync(email);
        var page = await browser.GetAsync("/admin/dashboard");
        page.StatusCode.ShouldBeOneOf(HttpStatusCode.Redirect, HttpStatusCode.Forbidden);
        if (page.StatusCode == HttpStatusCode.Redirect)
        {
            page.RedirectTarget().AbsolutePath.ShouldBe("/Identity/AccessDenied");
        }

        using var api = await factory.ApiClientAsync(email);
        (await api.GetAsync("/api/monitoring/dashboard")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await browser.GetAsync("/api/monitoring/dashboard")).StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect);
    }

    [Theory]
    [InlineData(Users.Admin)]
    [InlineData(Users.SuperAdmin)]
    public async Task Admins_see_the_dashboard_with_every_scenario_card(string email)
    {
        using var browser = await factory.SignedInBrowserAsync(email);

        var page = await browser.GetAsync("/admin/dashboard");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("Operations dashboard");
        html.ShouldContain("<script src=\"/js/dashboard.js\" defer></script>");
        html.ShouldContain("<svg");
        foreach (var id in new[] { "A1", "A2", "A3", "P1", "P2", "P3", "S1", "I2", "U2", "R1", "R2", "O1", "O2" })
        {
            html.ShouldContain($"data-scenario=\"{id}\"");
        }

        html.ShouldNotContain("not measured yet (module not built)", Case.Sensitive, "every module of the SPEC is built, so every card is measured");
        html.ShouldContain("id=\"returns-queues\"");
        html.ShouldContain("id=\"partners-ingest\"");
        html.ShouldContain("id=\"checkout-acceptance\"");
        html.ShouldContain("data-bind=\"requests.groups.1.windows.2.acceptedPercent\"");
        html.ShouldContain("id=\"flash-sales\"");
        html.ShouldContain("data-bind=\"flashSales.unitsRemaining\"");
        (await browser.GetAsync("/js/dashboard.js")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_feed_has_every_section_and_counts_from_the_database()
    {
        using var api = await factory.ApiClientAsync(Users.Admin);

        var json = await api.GetFromJsonAsync<JsonElement>("/api/monitoring/dashboard");

        foreach (var section in new[] { "generatedAt", "business", "counters", "payments", "requests", "outbox", "scenarios", "logs", "flashSales", "flashListing", "returns", "partners" })
        {
            json.TryGetProperty(section, out _).ShouldBeTrue($"section {section} missing");
        }

        json.GetProperty("payments").GetProperty("breakerState").GetString().ShouldBe("Closed");
        json.GetProperty("scenarios").GetArrayLength().ShouldBe(13);
        json.GetProperty("requests").GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("group").GetString())
            .ShouldBe(["storefront", "checkout", "flash-listing", "partner-api", "admin", "api-other"]);
        json.GetProperty("outbox").EnumerateArray().Select(o => o.GetProperty("module").GetString()).ShouldContain("monitoring");
        var flash = json.GetProperty("flashSales");
        flash.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        flash.GetProperty("liveSales").GetInt32().ShouldBeGreaterThanOrEqualTo(1, "the demo data has a live sale");
        flash.GetProperty("unitsRemaining").GetInt32().ShouldBeGreaterThan(0);
        json.GetProperty("flashListing").TryGetProperty("hitRatePercent", out _).ShouldBeTrue();
        json.GetProperty("returns").GetProperty("overview").GetProperty("queues").GetArrayLength().ShouldBe(3, "support, warehouse and finance");
        json.GetProperty("partners").GetProperty("jobsRunning").GetString()!.ShouldMatch(@"^\d+ \(awaiting confirmation \d+\)$");
    }

    [Fact]
    public async Task The_feed_shows_checkout_acceptance_with_429s_apart()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 20, price: 4.75m);
        using var customer = await CheckoutLoad.LoginAsync(factory, await CheckoutLoad.RegisterAsync(factory, "acceptance"));
        using var api = await factory.ApiClientAsync(Users.Admin);
        var before = CheckoutWindow(await api.GetFromJsonAsync<JsonElement>("/api/monitoring/dashboard"));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await CheckoutLoad.CheckoutAsync(customer.Client, sku);
            statuses.Add(response.StatusCode);
        }

        statuses.ShouldBe([.. Enumerable.Repeat(HttpStatusCode.Created, 5), HttpStatusCode.TooManyRequests]);
        var after = CheckoutWindow(await api.GetFromJsonAsync<JsonElement>("/api/monitoring/dashboard"));
        (after.Submitted - before.Submitted).ShouldBe(6);
        (after.Accepted - before.Accepted).ShouldBe(5);
        (after.Limited - before.Limited).ShouldBe(1);
        after.Percent.ShouldBe(Math.Round(100d * after.Accepted / after.Submitted, 2));
    }

    /// <summary>The checkout group's 15-minute window in the feed.</summary>
    private static (long Submitted, long Accepted, long Limited, double Percent) CheckoutWindow(JsonElement json)
    {
        var window = json.GetProperty("requests").GetProperty("groups").EnumerateArray()
            .Single(g => g.GetProperty("group").GetString() == "checkout").GetProperty("windows")[2];
        window.GetProperty("minutes").GetInt32().ShouldBe(15);
        var percent = window.GetProperty("acceptedPercent");
        return (window.GetProperty("submitted").GetInt64(), window.GetProperty("accepted").GetInt64(), window.GetProperty("submittedRateLimited").GetInt64(),
            percent.ValueKind == JsonValueKind.Null ? 0 : percent.GetDouble());
    }

    [Fact]
    public async Task Metrics_parse_as_Prometheus_text_and_carry_the_monitoring_instruments()
    {
        using var browser = factory.Browser();
        (await browser.GetAsync("/")).EnsureSuccessStatusCode();
        (await browser.GetAsync("/catalog")).EnsureSuccessStatusCode();

        var text = await Eventually.WaitForAsync(
            async () => await browser.GetStringAsync("/metrics"),
            t => t.Contains("retail_monitoring_request_duration_seconds_bucket", StringComparison.Ordinal),
            "the request-duration histogram on /metrics");

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();
        lines.ShouldNotBeEmpty();
        lines.Where(l => !SampleLine().IsMatch(l)).ShouldBeEmpty("every sample line is `name{labels} value [timestamp]`");
        text.ShouldContain("retail_monitoring_request_duration_seconds_count{");
        text.ShouldContain("group=\"storefront\"");
        text.ShouldContain("retail_monitoring_requests");
        text.ShouldContain("retail_monitoring_log_entries");
        text.ShouldContain("retail_payments_circuit_state");
    }

    [Fact]
    public async Task A_request_with_a_known_trace_id_can_be_found_in_the_recent_logs()
    {
        var traceId = Guid.NewGuid().ToString("N");
        using var browser = factory.Browser();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/catalog"))
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{Guid.NewGuid().ToString("N")[..16]}-01");
            (await browser.SendAsync(request)).EnsureSuccessStatusCode();
        }

        using var api = await factory.ApiClientAsync(Users.Admin);
        var entries = await Eventually.WaitForAsync(
            async () => await api.GetFromJsonAsync<JsonElement>($"/api/monitoring/logs?search={traceId}"),
            e => e.EnumerateArray().Any(x => x.GetProperty("traceId").GetString() == traceId),
            "a log entry carrying the request's trace id");

        entries.EnumerateArray().Where(e => e.GetProperty("traceId").GetString() == traceId)
            .ShouldContain(e => e.GetProperty("message").GetString()!.Contains("/catalog", StringComparison.Ordinal));
        (await api.GetAsync("/api/monitoring/logs?level=loud")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? ([-+]?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?$")]
    private static partial Regex SampleLine();
}
