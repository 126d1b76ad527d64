using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Testing;

namespace Retail.Host.FunctionalTests.Partners;

/// <summary>
/// Webhook secrets at rest: the column holds only the Data Protection form (<c>dp1:</c>…), pages show a secret only when
/// it is issued, rotation replaces it at once, legacy plain values keep working and get re-protected (first use and
/// startup), and a tampered stored value fails closed (401, logged) instead of a 500.
/// </summary>
public sealed class WebhookSecretTests(PartnersAppFactory factory) : IClassFixture<PartnersAppFactory>
{
    private const string Column = "SELECT ProtectedWebhookSecret FROM partners_Partners WHERE Id = $p COLLATE NOCASE";

    private static (string Name, object Value) Id(TestPartner partner) => ("$p", partner.Id.ToString().ToUpperInvariant());

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string secret, string deliveryId, string sku, int quantity = 4, long sequence = 1)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"sku":"{{sku}}","quantity":{{quantity}},"sequence":{{sequence}}}""");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray()));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/partners/webhooks/stock") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Timestamp", timestamp);
        request.Headers.Add("X-Signature", "sha256=" + signature);
        request.Headers.Add("X-Delivery-Id", deliveryId);
        return await client.SendAsync(request);
    }

    private static async Task<string> ProductAsync(HttpClient client)
    {
        var prefix = "S" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();
        (await (await client.PostFeedAsync(PartnerSetup.CsvFeed(prefix, 1, stock: 5), "feed.csv")).Content.ReadFromJsonAsync<FeedJobJson>())!.Created.ShouldBe(1);
        return $"{prefix}-1";
    }

    private static void ShouldBeProtected(string? stored, string plain)
    {
        stored.ShouldNotBeNull();
        stored.ShouldStartWith("dp1:");
        stored.ShouldNotContain(plain);
        stored.Length.ShouldBeGreaterThan(100);
    }

    [Fact]
    public async Task The_column_holds_only_the_protected_form_and_a_signed_webhook_still_applies_end_to_end()
    {
        var partner = await factory.CreatePartnerAsync();

        ShouldBeProtected(factory.Text(Column, Id(partner)), partner.WebhookSecret);
        factory.Scalar("SELECT COUNT(*) FROM partners_Partners WHERE instr(ProtectedWebhookSecret, $s) > 0", ("$s", partner.WebhookSecret)).ShouldBe(0);

        using var client = factory.PartnerClient(partner.LiveKey);
        var sku = await ProductAsync(client);
        (await SendAsync(client, partner.WebhookSecret, "e2e", sku, quantity: 23)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await Eventually.WaitForAsync(async () => (await CatalogApi.GetProductAsync(factory.AnonymousApi(), sku)).Stock, s => s == 23, "the stock update", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Pages_show_the_secret_only_when_it_is_issued_and_issuing_a_new_one_replaces_it_at_once()
    {
        var partner = await factory.CreatePartnerAsync();
        using var admin = await factory.SignedInBrowserAsync(Users.Catalog);
        var page = $"/admin/partners/{partner.Id}";
        var details = await admin.GetStringAsync(page);
        details.ShouldNotContain(partner.WebhookSecret);
        details.ShouldNotContain("new-webhook-secret-value");
        Html.ElementText(details, "webhook-secret-issued").ShouldContain(" UTC");

        var rotated = await PartnerSetup.IssueWebhookSecretAsync(admin, page);
        rotated.ShouldNotBe(partner.WebhookSecret);
        ShouldBeProtected(factory.Text(Column, Id(partner)), rotated);
        (await admin.GetStringAsync(page)).ShouldNotContain(rotated);

        using var client = factory.PartnerClient(partner.LiveKey);
        var old = await SendAsync(client, partner.WebhookSecret, "old-secret", "ANY-1");
        old.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await old.Content.ReadAsStringAsync()).ShouldContain("partners.bad_signature");
        (await SendAsync(client, rotated, "new-secret", "ANY-1")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task A_rotation_with_overlap_accepts_both_secrets_and_keeps_the_old_one_only_protected()
    {
        var partner = await factory.CreatePartnerAsync();
        using var admin = await factory.SignedInBrowserAsync(Users.Catalog);
        var page = $"/admin/partners/{partner.Id}";

        var rotated = await PartnerSetup.IssueWebhookSecretAsync(admin, page, overlapHours: 24);

        var previous = factory.Text("SELECT PreviousProtectedWebhookSecret FROM partners_Partners WHERE Id = $p COLLATE NOCASE", Id(partner));
        ShouldBeProtected(previous, partner.WebhookSecret);
        ShouldBeProtected(factory.Text(Column, Id(partner)), rotated);
        Html.ElementText(await admin.GetStringAsync(page), "webhook-secret-overlap").ShouldContain("still accepted until");
        using var client = factory.PartnerClient(partner.LiveKey);
        (await SendAsync(client, partner.WebhookSecret, "overlap-old", "ANY-1")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await SendAsync(client, rotated, "overlap-new", "ANY-1")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await SendAsync(client, new string('e', 64), "overlap-wrong", "ANY-1")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // More than 72 hours, or not whole hours ("24h" once bound as 0 and replaced the secret at once), is refused with
        // the reason, and nothing changes.
        foreach (var (overlap, reason) in new[] { ("500", "between 0 and 72"), ("24h", "is not valid") })
        {
            var refused = await AppClient.PostFormAsync(admin, page, new Dictionary<string, string> { ["overlapHours"] = overlap }, postTo: page + "?handler=RotateWebhookSecret");
            var html = await refused.Content.ReadAsStringAsync();
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, overlap);
            html.ShouldNotContain("new-webhook-secret-value");
            Html.Text(html).ShouldContain(reason);
            ShouldBeProtected(factory.Text(Column, Id(partner)), rotated);
            (await SendAsync(client, rotated, "overlap-still-" + overlap, "ANY-1")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }
    }

    [Fact]
    public async Task A_partner_user_issues_a_new_secret_in_the_portal_and_sees_it_once()
    {
        var partner = await factory.CreatePartnerAsync();
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
        (await portal.GetStringAsync("/partner")).ShouldNotContain(partner.WebhookSecret);

        var unreadable = await AppClient.PostFormAsync(portal, "/partner", new Dictionary<string, string> { ["overlapHours"] = "1.5" }, postTo: "/partner?handler=RotateWebhookSecret");
        unreadable.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        Html.Text(await unreadable.Content.ReadAsStringAsync()).ShouldContain("is not valid");

        var issued = await AppClient.PostFormAsync(portal, "/partner", new Dictionary<string, string>(), postTo: "/partner?handler=RotateWebhookSecret");
        var html = await issued.Content.ReadAsStringAsync();
        issued.StatusCode.ShouldBe(HttpStatusCode.OK, Html.Text(html));
        var secret = Html.ElementText(html, "new-webhook-secret-value");
        secret.Length.ShouldBe(64);
        secret.ShouldNotBe(partner.WebhookSecret);
        (await portal.GetStringAsync("/partner")).ShouldNotContain(secret);
        ShouldBeProtected(factory.Text(Column, Id(partner)), secret);

        using var client = factory.PartnerClient(partner.LiveKey);
        (await SendAsync(client, secret, "portal-rotated", "ANY-1")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await SendAsync(client, partner.WebhookSecret, "portal-old", "ANY-1")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Without a token the form post is refused; a signed-in customer cannot reach the portal handler at all.
        (await AppClient.PostFormWithoutTokenAsync(portal, "/partner?handler=RotateWebhookSecret", new Dictionary<string, string>())).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var customer = await factory.SignedInBrowserAsync(Users.Customer);
        var denied = await customer.PostAsync("/partner?handler=RotateWebhookSecret", new FormUrlEncodedContent(new Dictionary<string, string>()));
        denied.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        ShouldBeProtected(factory.Text(Column, Id(partner)), secret);
    }

    [Fact]
    public async Task A_legacy_plain_secret_keeps_working_and_is_re_protected_on_first_use()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var sku = await ProductAsync(client);
        // A row from before encryption: the migration renamed the column and kept the plain value.
        factory.Scalar("UPDATE partners_Partners SET ProtectedWebhookSecret = $s WHERE Id = $p COLLATE NOCASE; SELECT changes()",
            ("$s", partner.WebhookSecret), Id(partner)).ShouldBe(1);

        (await SendAsync(client, partner.WebhookSecret, "legacy-1", sku, quantity: 11)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        ShouldBeProtected(factory.Text(Column, Id(partner)), partner.WebhookSecret);
        (await SendAsync(client, partner.WebhookSecret, "legacy-2", sku, quantity: 12, sequence: 2)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await Eventually.WaitForAsync(async () => (await CatalogApi.GetProductAsync(factory.AnonymousApi(), sku)).Stock, s => s == 12, "the stock update", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Legacy_plain_secrets_are_re_protected_when_the_app_starts()
    {
        var partner = await factory.CreatePartnerAsync();
        factory.Scalar("UPDATE partners_Partners SET ProtectedWebhookSecret = $s WHERE Id = $p COLLATE NOCASE; SELECT changes()",
            ("$s", partner.WebhookSecret), Id(partner)).ShouldBe(1);

        // A second instance over the same database file: its startup step re-protects the row without any request.
        using var restarted = new PartnersAppFactory(factory.DataFolder, jobServer: false);
        _ = restarted.Services;
        var stored = await Eventually.WaitForAsync(() => Task.FromResult(factory.Text(Column, Id(partner))), s => s?.StartsWith("dp1:", StringComparison.Ordinal) == true,
            "the startup re-protection");
        ShouldBeProtected(stored, partner.WebhookSecret);

        using var client = restarted.PartnerClient(partner.LiveKey);
        (await SendAsync(client, partner.WebhookSecret, "after-restart", "ANY-1")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task A_tampered_protected_value_fails_closed_with_401_audited_and_logged()
    {
        var logs = new CapturingLoggerProvider();
        using var app = new PartnersAppFactory(null, jobServer: false, s => s.AddSingleton<ILoggerProvider>(logs));
        var partner = await app.CreatePartnerAsync();
        var stored = app.Text(Column, Id(partner))!;
        var middle = stored.Length / 2;
        var tampered = stored[..middle] + (stored[middle] == 'A' ? 'B' : 'A') + stored[(middle + 1)..];
        app.Scalar("UPDATE partners_Partners SET ProtectedWebhookSecret = $s WHERE Id = $p COLLATE NOCASE; SELECT changes()", ("$s", tampered), Id(partner)).ShouldBe(1);

        using var client = app.PartnerClient(partner.LiveKey);
        var response = await SendAsync(client, partner.WebhookSecret, "tampered", "ANY-1");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain("partners.bad_signature");
        app.Scalar("SELECT COUNT(*) FROM partners_AuthAudit WHERE PartnerId = $p COLLATE NOCASE AND Outcome = 7", Id(partner)).ShouldBe(1);
        app.Scalar("SELECT COUNT(*) FROM partners_WebhookDeliveries WHERE PartnerId = $p COLLATE NOCASE", Id(partner)).ShouldBe(0);
        logs.Entries.ShouldContain(e => e.Level == LogLevel.Error && e.EventId == 5012 && e.Message.Contains(partner.Id.ToString(), StringComparison.Ordinal));
        app.Text(Column, Id(partner)).ShouldBe(tampered);

        // Issuing a new secret recovers the partner.
        using var admin = await app.SignedInBrowserAsync(Users.Catalog);
        var fresh = await PartnerSetup.IssueWebhookSecretAsync(admin, $"/admin/partners/{partner.Id}");
        (await SendAsync(client, fresh, "after-rotation", "ANY-1")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }
}
