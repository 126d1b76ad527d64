using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Partners;

/// <summary>SPEC I2: signed stock webhooks, replay window, idempotent deliveries, ordering, and signed callbacks with retries.</summary>
public sealed class StockWebhookTests(PartnersAppFactory factory) : IClassFixture<PartnersAppFactory>
{
    private static string Sign(string secret, string timestamp, byte[] body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray()));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, TestPartner partner, string deliveryId, string sku, int quantity, long sequence,
        DateTimeOffset? at = null, string? signatureOverride = null)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"sku":"{{sku}}","quantity":{{quantity}},"sequence":{{sequence}}}""");
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/partners/webhooks/stock") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Timestamp", timestamp);
        request.Headers.Add("X-Signature", signatureOverride ?? "sha256=" + Sign(partner.WebhookSecret, timestamp, body));
        request.Headers.Add("X-Delivery-Id", deliveryId);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> SendRawAsync(HttpClient client, TestPartner partner, string deliveryId, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/partners/webhooks/stock") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Timestamp", timestamp);
        request.Headers.Add("X-Signature", "sha256=" + Sign(partner.WebhookSecret, timestamp, body));
        request.Headers.Add("X-Delivery-Id", deliveryId);
        return await client.SendAsync(request);
    }

    private async Task<(TestPartner Partner, HttpClient Client, string Sku)> PartnerWithProductAsync(string? callbackUrl = null)
    {
        var partner = await factory.CreatePartnerAsync(callbackUrl: callbackUrl);
        var client = factory.PartnerClient(partner.LiveKey);
        var prefix = "W" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();
        (await (await client.PostFeedAsync(PartnerSetup.CsvFeed(prefix, 1, stock: 5), "feed.csv")).Content.ReadFromJsonAsync<FeedJobJson>())!.Created.ShouldBe(1);
        return (partner, client, $"{prefix}-1");
    }

    private async Task<int> StockOf(string sku) => (await CatalogApi.GetProductAsync(factory.AnonymousApi(), sku)).Stock;

    private async Task<DeliveryJson> DeliveryAsync(HttpClient client, string deliveryId, Func<DeliveryJson, bool> done) =>
        await Eventually.WaitForAsync(
            async () => (await client.GetFromJsonAsync<List<DeliveryJson>>("/api/partners/webhooks/deliveries"))!.Single(d => d.DeliveryId == deliveryId),
            done, $"delivery {deliveryId}", TimeSpan.FromSeconds(5));

    [Fact]
    public async Task A_signed_update_is_acknowledged_with_202_fast_and_applied_in_the_background_within_5_s()
    {
        var (owner, ownerClient, ownerSku) = await PartnerWithProductAsync();

        var clock = Stopwatch.StartNew();
        var response = await SendAsync(ownerClient, owner, "d-1", ownerSku, 42, 1);
        clock.Stop();

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var applied = await DeliveryAsync(ownerClient, "d-1", d => d.Status != "Received");
        (applied.Status, applied.StockAfter).ShouldBe(("Applied", 42));
        (await StockOf(ownerSku)).ShouldBe(42);
        factory.Scalar("SELECT COUNT(*) FROM catalog_StockMovements WHERE Sku = $s AND Delta = 37 AND StockAfter = 42", ("$s", ownerSku)).ShouldBe(1);
    }

    [Fact]
    public async Task A_bad_signature_or_a_stale_timestamp_is_401_and_audited()
    {
        var (partner, client, sku) = await PartnerWithProductAsync();
        var bad = await SendAsync(client, partner, "bad-sig", sku, 1, 1, signatureOverride: "sha256=" + new string('0', 64));
        bad.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("partners.bad_signature");

        var stale = await SendAsync(client, partner, "stale", sku, 1, 1, at: DateTimeOffset.UtcNow.AddMinutes(-6));
        stale.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await stale.Content.ReadAsStringAsync()).ShouldContain("partners.stale_timestamp");

        var pid = partner.Id.ToString().ToUpperInvariant();
        factory.Scalar("SELECT COUNT(*) FROM partners_AuthAudit WHERE PartnerId = $p COLLATE NOCASE AND Outcome IN (7, 8)", ("$p", pid)).ShouldBe(2);
        factory.Scalar("SELECT COUNT(*) FROM partners_WebhookDeliveries WHERE PartnerId = $p COLLATE NOCASE", ("$p", pid)).ShouldBe(0);
        (await StockOf(sku)).ShouldBe(5);
    }

    [Fact]
    public async Task A_repeated_delivery_changes_nothing_and_reports_the_first_outcome()
    {
        var (partner, client, sku) = await PartnerWithProductAsync();
        (await SendAsync(client, partner, "dup", sku, 7, 1)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await DeliveryAsync(client, "dup", d => d.Status == "Applied");

        // A retry sends the same body (signed again, with a new timestamp).
        var repeat = await SendAsync(client, partner, "dup", sku, 7, 1, at: DateTimeOffset.UtcNow.AddSeconds(-30));
        repeat.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var first = (await repeat.Content.ReadFromJsonAsync<DeliveryJson>())!;
        (first.Quantity, first.Status, first.StockAfter).ShouldBe((7, "Applied", 7));
        (await StockOf(sku)).ShouldBe(7);
        factory.Scalar("SELECT COUNT(*) FROM catalog_StockMovements WHERE Sku = $s AND Reason = 'partner webhook dup'", ("$s", sku)).ShouldBe(1);
    }

    [Fact]
    public async Task A_used_delivery_id_with_another_body_is_422_and_changes_nothing()
    {
        // Not a retry but a second update under a used id: answering 202 with the first outcome told the partner the new
        // quantity was accepted while it was dropped.
        var (partner, client, sku) = await PartnerWithProductAsync();
        (await SendAsync(client, partner, "reused", sku, 7, 1)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await DeliveryAsync(client, "reused", d => d.Status == "Applied");

        var other = await SendAsync(client, partner, "reused", sku, 99, 2);

        other.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        other.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await other.Content.ReadAsStringAsync()).ShouldContain("partners.delivery_id_reused");
        (await StockOf(sku)).ShouldBe(7);
        factory.Scalar("SELECT COUNT(*) FROM partners_WebhookDeliveries WHERE DeliveryId = 'reused' AND PartnerId = $p COLLATE NOCASE",
            ("$p", partner.Id.ToString().ToUpperInvariant())).ShouldBe(1);
        (await client.GetFromJsonAsync<List<DeliveryJson>>("/api/partners/webhooks/deliveries"))!.Single(d => d.DeliveryId == "reused")
            .Quantity.ShouldBe(7);
    }

    [Theory]
    [InlineData("""{"sku":"SKU","quantity":5.5,"sequence":1}""", "quantity")]
    [InlineData("""{"sku":"SKU","quantity":99999999999,"sequence":1}""", "quantity")]
    [InlineData("""{"sku":"SKU","quantity":5,"sequence":"x"}""", "sequence")]
    // A number sent as a JSON string was read as the number (the web defaults), so a partner's broken serializer went unnoticed.
    [InlineData("""{"sku":"SKU","quantity":"7","sequence":1}""", "quantity")]
    [InlineData("""{"sku":"SKU","quantity":7,"sequence":"1"}""", "sequence")]
    [InlineData("""{"sku":"SKU","quantity":5,""", "body")]
    public async Task A_body_that_is_not_the_webhook_json_is_400_naming_the_field_at_fault_and_changes_nothing(string json, string field)
    {
        // One unreadable value made the whole body unreadable, and the answer said the (valid) sku was missing as well.
        var (partner, client, sku) = await PartnerWithProductAsync();
        var delivery = "bad-" + Guid.NewGuid().ToString("N")[..8];

        var response = await SendRawAsync(client, partner, delivery, json.Replace("SKU", sku, StringComparison.Ordinal));

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("errors");
        errors.EnumerateObject().Select(p => p.Name).ShouldBe([field], text);
        (await StockOf(sku)).ShouldBe(5);
        factory.Scalar("SELECT COUNT(*) FROM partners_WebhookDeliveries WHERE DeliveryId = $d", ("$d", delivery)).ShouldBe(0);
    }

    [Fact]
    public async Task An_older_sequence_number_is_ignored()
    {
        var (partner, client, sku) = await PartnerWithProductAsync();
        await SendAsync(client, partner, "seq-5", sku, 10, 5);
        await DeliveryAsync(client, "seq-5", d => d.Status == "Applied");
        await SendAsync(client, partner, "seq-4", sku, 3, 4);

        var ignored = await DeliveryAsync(client, "seq-4", d => d.Status != "Received");
        ignored.Status.ShouldBe("IgnoredOutOfOrder");
        (await StockOf(sku)).ShouldBe(10);
    }

    [Fact]
    public async Task A_concurrent_burst_in_any_order_ends_at_each_skus_highest_sequence()
    {
        // Deliveries that arrive together are applied in batches; the outcome must be what one-by-one processing gives:
        // every delivery processed once, and each SKU's stock is the quantity of its highest sequence.
        var (partner, client, first) = await PartnerWithProductAsync();
        var sequences = Enumerable.Range(1, 30).OrderBy(i => (i * 7919) % 31).ToList(); // a fixed shuffle
        var sends = sequences.Select(sequence => SendAsync(client, partner, $"burst-{sequence}", first, 100 + sequence, sequence)).ToList();
        var responses = await Task.WhenAll(sends);

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Accepted);
        var deliveries = await Eventually.WaitForAsync(
            async () => (await client.GetFromJsonAsync<List<DeliveryJson>>("/api/partners/webhooks/deliveries"))!.Where(d => d.DeliveryId.StartsWith("burst-", StringComparison.Ordinal)).ToList(),
            list => list.Count == 30 && list.All(d => d.Status != "Received"), "30 burst deliveries processed", TimeSpan.FromSeconds(10));
        deliveries.ShouldAllBe(d => d.Status == "Applied" || d.Status == "IgnoredOutOfOrder");
        deliveries.Single(d => d.Sequence == 30).Status.ShouldBe("Applied");
        (await StockOf(first)).ShouldBe(130);
        factory.Scalar("SELECT COUNT(*) FROM catalog_StockMovements WHERE Sku = $s AND Reason LIKE 'partner webhook burst-%'", ("$s", first))
            .ShouldBe(deliveries.Count(d => d.Status == "Applied"));

        // Monitoring hears of them in summary events (one per processed batch), which together count every delivery once.
        const string ofPartner = "FROM partners_OutboxMessages WHERE Type = 'partners.webhooks-processed.v1' AND json_extract(Payload, '$.partnerId') = $p";
        var partnerId = ("$p", partner.Id.ToString());
        factory.Scalar($"SELECT SUM(json_extract(Payload, '$.applied')) {ofPartner}", partnerId).ShouldBe(deliveries.Count(d => d.Status == "Applied"));
        factory.Scalar($"SELECT SUM(json_extract(Payload, '$.ignoredOutOfOrder')) {ofPartner}", partnerId).ShouldBe(deliveries.Count(d => d.Status == "IgnoredOutOfOrder"));
        factory.Scalar($"SELECT SUM(json_extract(Payload, '$.failed')) {ofPartner}", partnerId).ShouldBe(0);
    }

    [Fact]
    public async Task Another_partners_sku_is_not_changed()
    {
        var (_, _, foreignSku) = await PartnerWithProductAsync();
        var (partner, client, _) = await PartnerWithProductAsync();
        await SendAsync(client, partner, "foreign", foreignSku, 0, 1);
        var failed = await DeliveryAsync(client, "foreign", d => d.Status != "Received");
        failed.Status.ShouldBe("Failed");
        (await StockOf(foreignSku)).ShouldBe(5);
    }

    [Fact]
    public async Task The_outcome_callback_is_signed_and_retried_until_the_partner_answers()
    {
        using var server = new CallbackServer(HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway, HttpStatusCode.OK);
        var (partner, client, sku) = await PartnerWithProductAsync(server.Url);
        await SendAsync(client, partner, "cb-ok", sku, 3, 1);

        var delivery = await DeliveryAsync(client, "cb-ok", d => d.Callbacks.Count == 3);
        delivery.Callbacks.Select(c => c.StatusCode).ShouldBe([500, 502, 200]);
        server.Received.Count.ShouldBe(3);
        foreach (var call in server.Received)
        {
            call.Signature.ShouldBe("sha256=" + Sign(partner.WebhookSecret, call.Timestamp, call.Body));
            Encoding.UTF8.GetString(call.Body).ShouldContain("\"deliveryId\":\"cb-ok\"");
        }
    }

    [Fact]
    public async Task A_callback_that_keeps_failing_is_tried_four_times_and_can_be_replayed_from_the_portal()
    {
        using var server = new CallbackServer(HttpStatusCode.InternalServerError);
        var (partner, client, sku) = await PartnerWithProductAsync(server.Url);
        await SendAsync(client, partner, "cb-fail", sku, 3, 1);

        var delivery = await DeliveryAsync(client, "cb-fail", d => d.Callbacks.Count == 4);
        delivery.Callbacks.ShouldAllBe(c => c.StatusCode == 500);
        await Eventually.WaitForAsync(() => Task.FromResult(factory.Scalar("SELECT COUNT(*) FROM partners_OutboxMessages WHERE Type = 'partners.callback-failed.v1' AND Payload LIKE '%cb-fail%'")),
            n => n == 1, "the callback-failed event");

        // The partner's staff replay it from the portal once their endpoint is fixed.
        server.Answer(HttpStatusCode.OK);
        using var admin = await factory.SignedInBrowserAsync(Users.Catalog);
        var email = Users.NewEmail("partner");
        var page = $"/admin/partners/{partner.Id}";
        (await AppClient.PostFormAsync(admin, page, new Dictionary<string, string>
        {
            ["NewUser.Email"] = email,
            ["NewUser.DisplayName"] = "Partner staff",
            ["NewUser.Password"] = RetailAppFactory.DemoPassword,
        }, postTo: page + "?handler=CreateUser")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var portal = factory.Browser();
        await AppClient.LoginAsync(portal, email, RetailAppFactory.DemoPassword);
        var replay = await AppClient.PostFormAsync(portal, "/partner/webhooks", new Dictionary<string, string> { ["deliveryId"] = delivery.Id.ToString() },
            postTo: "/partner/webhooks?handler=Replay");
        replay.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var log = await portal.GetStringAsync("/partner/webhooks");
        Html.Text(log).ShouldContain("#5");
        (await client.GetFromJsonAsync<List<DeliveryJson>>("/api/partners/webhooks/deliveries"))!.Single(d => d.DeliveryId == "cb-fail")
            .Callbacks.Last().StatusCode.ShouldBe(200);
    }

    /// <summary>A local HTTP server for callbacks: answers with the given statuses in turn (the last one repeats).</summary>
    private sealed class CallbackServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<HttpStatusCode> _answers;
        private HttpStatusCode _last;

        public CallbackServer(params HttpStatusCode[] answers)
        {
            _answers = new ConcurrentQueue<HttpStatusCode>(answers);
            _last = answers[^1];
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/callback/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Url { get; }

        public ConcurrentQueue<(string Timestamp, string Signature, byte[] Body)> Received { get; } = new();

        public void Answer(HttpStatusCode status)
        {
            _answers.Clear();
            _last = status;
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                Received.Enqueue((context.Request.Headers["X-Timestamp"] ?? "", context.Request.Headers["X-Signature"] ?? "", body.ToArray()));
                context.Response.StatusCode = (int)(_answers.TryDequeue(out var status) ? status : _last);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
