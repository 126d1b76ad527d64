using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Host.FunctionalTests.Partners;
using Retail.Host.FunctionalTests.Returns;

namespace Retail.Host.FunctionalTests.Monitoring;

/// <summary>
/// Issue 7 with Returns and Partners: a feed, a stock webhook and a return through the public APIs reach the dashboard's
/// returns and partners sections, its R1/R2/I2/U2 cards and <c>/metrics</c>, equal to the source modules' own rows.
/// </summary>
[Collection(MetricsScrapeCollection.Name)]
public sealed class MonitoringReturnsPartnersTests(PartnersAppFactory factory) : IClassFixture<PartnersAppFactory>
{
    private const string IngestRows = "retail.partners.ingest.rows";
    private const string IngestJobs = "retail.partners.ingest.jobs";
    private const string WebhooksProcessed = "retail.partners.webhooks.processed";

    [Fact]
    public async Task A_feed_a_webhook_and_a_return_show_on_the_dashboard_and_on_metrics()
    {
        // Partners: one feed of 3 rows (inline), one signed stock webhook.
        var partner = await factory.CreatePartnerAsync();
        using var partnerClient = factory.PartnerClient(partner.LiveKey);
        var prefix = "M" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();
        var job = (await (await partnerClient.PostFeedAsync(PartnerSetup.CsvFeed(prefix, 3, stock: 5), "feed.csv")).Content.ReadFromJsonAsync<FeedJobJson>())!;
        job.IsFinished.ShouldBeTrue(job.Status);
        job.Created.ShouldBe(3);
        var body = Encoding.UTF8.GetBytes($$"""{"sku":"{{prefix}}-1","quantity":9,"sequence":1}""");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using (var webhook = new HttpRequestMessage(HttpMethod.Post, "/api/partners/webhooks/stock") { Content = new ByteArrayContent(body) })
        {
            webhook.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            webhook.Headers.Add("X-Timestamp", timestamp);
            webhook.Headers.Add("X-Signature", "sha256=" + Convert.ToHexStringLower(
                HMACSHA256.HashData(Encoding.UTF8.GetBytes(partner.WebhookSecret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray())));
            webhook.Headers.Add("X-Delivery-Id", "monitoring-1");
            (await partnerClient.SendAsync(webhook)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        // Returns: a delivered order, then a return submitted by the customer.
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer);
        await ReturnsApi.SubmitCodeAsync(customer, orderId, sku, 1);

        using var admin = await factory.ApiClientAsync(Users.Admin);
        var json = await Eventually.WaitForAsync(
            async () => await admin.GetFromJsonAsync<JsonElement>("/api/monitoring/dashboard"),
            j => j.GetProperty("partners").GetProperty("jobsCompleted").GetInt64() >= 1
                && j.GetProperty("partners").GetProperty("webhooksProcessed").GetInt64() >= 1
                && j.GetProperty("returns").GetProperty("opened").GetInt64() >= 1,
            "the feed job, the webhook and the return counted by Monitoring");

        var partners = json.GetProperty("partners");
        partners.GetProperty("jobsCompleted").GetInt64().ShouldBe(factory.Scalar("SELECT COUNT(*) FROM partners_FeedJobs"));
        partners.GetProperty("jobsFailed").GetInt64().ShouldBe(0);
        partners.GetProperty("rowsIngested").GetInt64().ShouldBe(3);
        partners.GetProperty("rowsPerSecond").ValueKind.ShouldBeOneOf(JsonValueKind.Number, JsonValueKind.Null);
        partners.GetProperty("webhooksProcessed").GetInt64().ShouldBe(factory.Scalar("SELECT COUNT(*) FROM partners_WebhookDeliveries WHERE Status <> 0"));
        var running = factory.Scalar("SELECT COUNT(*) FROM partners_FeedJobs WHERE Status IN (0, 1, 2)");
        var awaiting = factory.Scalar("SELECT COUNT(*) FROM partners_FeedJobs WHERE Status = 3");
        partners.GetProperty("jobsRunning").GetString().ShouldBe($"{running} (awaiting confirmation {awaiting})");

        var returns = json.GetProperty("returns");
        var inDatabase = factory.Scalar("SELECT COUNT(*) FROM returns_Returns");
        returns.GetProperty("opened").GetInt64().ShouldBe(inDatabase);
        var overview = returns.GetProperty("overview");
        overview.GetProperty("total").GetInt32().ShouldBe((int)inDatabase);
        overview.GetProperty("byStatus").EnumerateObject().Sum(s => s.Value.GetInt32()).ShouldBe((int)inDatabase);
        overview.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("team").GetString()).ShouldContain("support");
        returns.GetProperty("refundsIssued").GetInt64().ShouldBe(0);

        var cards = json.GetProperty("scenarios").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        cards["R1"].GetProperty("status").GetString().ShouldBe("fulfilled", cards["R1"].GetProperty("evidence").GetString());
        cards["R1"].GetProperty("evidence").GetString()!.ShouldContain($"{inDatabase} returns in the database, {inDatabase} opened through events");
        cards["R2"].GetProperty("status").GetString().ShouldBe("no-data");
        cards["R2"].GetProperty("evidence").GetString()!.ShouldContain("0 refunds issued");
        cards["I2"].GetProperty("evidence").GetString()!.ShouldContain($"{partners.GetProperty("webhooksProcessed").GetInt64()} webhook deliveries processed");
        cards["U2"].GetProperty("evidence").GetString()!.ShouldContain("3 rows ingested");
        // S1: the feed and the webhook came with a valid key, nothing was refused or served without one.
        cards["S1"].GetProperty("status").GetString().ShouldBe("fulfilled", cards["S1"].GetProperty("evidence").GetString());
        cards["S1"].GetProperty("evidence").GetString()!.ShouldStartWith("2 partner API requests in the last 15 min: 0 answered 401 without a valid key, 2 with a valid key (p99 ");
        foreach (var id in new[] { "S1", "I2", "U2", "R1", "R2" })
        {
            cards[id].GetProperty("status").GetString().ShouldNotBe("not-built", id);
        }

        using var browser = await factory.SignedInBrowserAsync(Users.Admin);
        var html = await browser.GetStringAsync("/admin/dashboard");
        foreach (var id in new[] { "returns-refunds", "returns-totals", "returns-states", "returns-queues", "partners-ingest", "partners-webhooks" })
        {
            html.ShouldContain($"id=\"{id}\"");
        }

        html.ShouldContain("data-bind=\"returns.overview.queues.0.overdue\"");
        html.ShouldContain("data-bind=\"partners.rowsPerSecond\"");

        // /metrics exports the instruments of every host in this test process under one name (the last observation
        // wins for an observable counter), so the exact values are read from this host's meters; the scrape shows the
        // instruments exist and parse.
        using var anonymous = factory.Browser();
        var metrics = PrometheusText.Parse(await anonymous.GetStringAsync("/metrics"));
        metrics.Types["retail_partners_ingest_rows_total"].ShouldBe("counter");
        metrics.Named("retail_partners_ingest_jobs_total").ShouldContain(s => s.Labels.GetValueOrDefault("status") == "completed");
        metrics.Named("retail_partners_webhooks_processed_total").ShouldNotBeEmpty();
        // The ingest observable counters of this host, observed once.
        using var observed = new HostMeasurements(factory.Services.GetRequiredService<IMeterFactory>(), IngestRows, IngestJobs, WebhooksProcessed);
        observed.Observe();
        observed.Sum(IngestRows).ShouldBe(3);
        observed.Sum(IngestJobs, "status", "completed").ShouldBe(partners.GetProperty("jobsCompleted").GetInt64());
        observed.Sum(WebhooksProcessed).ShouldBe(partners.GetProperty("webhooksProcessed").GetInt64());
    }
}
