using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Host.FunctionalTests.Partners;
using Xunit.Abstractions;

namespace Retail.Host.FunctionalTests.Monitoring;

/// <summary>
/// SPEC S1 on the dashboard: partner API calls with no key, an unknown key and a wrong secret are counted as 401s under
/// the partner-api group (apart from a valid key's refused webhook signature), the S1 card shows them, and
/// <c>retail.http.unauthorized</c> reaches this host's meters and <c>/metrics</c>.
/// </summary>
public sealed class PartnerAuthMonitoringTests(PartnersAppFactory factory, ITestOutputHelper output) : IClassFixture<PartnersAppFactory>
{
    private const int Window15 = 2;
    private const string Unauthorized = "retail.http.unauthorized";

    [Fact]
    public async Task Partner_calls_without_a_valid_key_are_401s_on_the_dashboard_the_S1_card_and_metrics()
    {
        using var measurements = new HostMeasurements(factory.Services.GetRequiredService<IMeterFactory>(), Unauthorized);
        var partner = await factory.CreatePartnerAsync();

        using var noKey = factory.PartnerClient(null);
        using var unknownKey = factory.PartnerClient("rk_live_deadbeef." + new string('0', 64));
        using var wrongSecret = factory.PartnerClient(partner.LiveKey[..(partner.LiveKey.IndexOf('.', StringComparison.Ordinal) + 1)] + new string('1', 64));
        foreach (var client in new[] { noKey, noKey, unknownKey, unknownKey, wrongSecret })
        {
            (await client.GetAsync("/api/partners/jobs")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var valid = factory.PartnerClient(partner.LiveKey);
        for (var i = 0; i < 2; i++)
        {
            (await valid.GetAsync("/api/partners/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (var badSignature = new HttpRequestMessage(HttpMethod.Post, "/api/partners/webhooks/stock"))
        {
            badSignature.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"sku":"NOPE-1","quantity":1,"sequence":1}"""));
            badSignature.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            badSignature.Headers.Add("X-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            badSignature.Headers.Add("X-Signature", "sha256=" + new string('a', 64));
            badSignature.Headers.Add("X-Delivery-Id", "monitoring-bad-signature");
            (await valid.SendAsync(badSignature)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "a valid key with a wrong webhook signature");
        }

        // The feed, read as admin (its own request is timed under the admin group, not partner-api).
        using var admin = await factory.ApiClientAsync(Users.Admin);
        var json = await admin.GetFromJsonAsync<JsonElement>("/api/monitoring/dashboard");
        var requests = json.GetProperty("requests");
        var groups = requests.GetProperty("groups").EnumerateArray().ToList();
        var partnerIndex = groups.FindIndex(g => g.GetProperty("group").GetString() == "partner-api");
        var window = groups[partnerIndex].GetProperty("windows")[Window15];
        window.GetProperty("minutes").GetInt32().ShouldBe(15);
        window.GetProperty("count").GetInt64().ShouldBe(8);
        window.GetProperty("unauthorized").GetInt64().ShouldBe(6, "5 without a valid key + 1 refused webhook signature");
        window.GetProperty("unauthorizedAuthenticated").GetInt64().ShouldBe(1);
        window.GetProperty("authenticated").GetInt64().ShouldBe(3);
        window.GetProperty("servedUnauthenticated").GetInt64().ShouldBe(0);
        window.GetProperty("forbidden").GetInt64().ShouldBe(0);
        foreach (var other in groups.Where(g => g.GetProperty("group").GetString() is "storefront" or "checkout" or "flash-listing"))
        {
            other.GetProperty("windows")[Window15].GetProperty("unauthorized").GetInt64().ShouldBe(0, other.GetProperty("group").GetString());
        }

        var rejected = requests.GetProperty("partnerApiKeyRejected").GetProperty("windows")[Window15];
        rejected.GetProperty("count").GetInt64().ShouldBe(5);
        requests.GetProperty("partnerApiAuthenticated").GetProperty("windows")[Window15].GetProperty("count").GetInt64().ShouldBe(3);
        requests.GetProperty("unauthorizedSinceStart").GetInt64().ShouldBeGreaterThanOrEqualTo(6);

        var s1 = json.GetProperty("scenarios").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "S1");
        var evidence = s1.GetProperty("evidence").GetString()!;
        output.WriteLine($"S1 {s1.GetProperty("status").GetString()}: {evidence}");
        output.WriteLine($"key refused p50/p95/p99 {rejected.GetProperty("p50")}/{rejected.GetProperty("p95")}/{rejected.GetProperty("p99")} ms");
        evidence.ShouldStartWith("8 partner API requests in the last 15 min: 5 answered 401 without a valid key (missing, unknown, wrong or revoked key; p99 ");
        evidence.ShouldContain("3 with a valid key (p99 ");
        evidence.ShouldContain("1 of them refused 401 for the webhook signature or timestamp");
        evidence.ShouldContain("; 0 served without a valid key; threshold: none served, key refused p99 < 50 ms");
        // Nothing was served without a key, so the verdict rests on how fast keys were refused on this machine.
        var p99 = rejected.GetProperty("p99").GetDouble();
        s1.GetProperty("status").GetString().ShouldBe(p99 < 50 ? "fulfilled" : "not-fulfilled", evidence);

        using var browser = await factory.SignedInBrowserAsync(Users.Admin);
        var html = await browser.GetStringAsync("/admin/dashboard");
        html.ShouldContain("id=\"refusals\"");
        html.ShouldContain($"data-bind=\"requests.groups.{partnerIndex}.windows.{Window15}.unauthorized\" data-format=\"int\">6<");
        html.ShouldContain("5 answered 401 without a valid key");

        // Exact on this host's meters; the scrape (every host of the test process under one name) proves the export.
        measurements.Sum(Unauthorized, "group", "partner-api").ShouldBe(6);
        using var anonymous = factory.Browser();
        var metrics = PrometheusText.Parse(await anonymous.GetStringAsync("/metrics"));
        metrics.Types["retail_http_unauthorized_total"].ShouldBe("counter");
        metrics.Sum("retail_http_unauthorized_total", ("group", "partner-api")).ShouldBeGreaterThanOrEqualTo(6);
    }
}
