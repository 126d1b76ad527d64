using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Testing;

namespace Retail.Host.FunctionalTests.Partners;

/// <summary>SPEC S1: X-Api-Key on every partner endpoint, 401 problem details, every attempt audited.</summary>
public sealed class PartnerAuthTests(PartnersAppFactory factory) : IClassFixture<PartnersAppFactory>
{
    private long AuditCount(string outcome, Guid? partnerId = null) => factory.Scalar(
        "SELECT COUNT(*) FROM partners_AuthAudit WHERE Outcome = $o AND ($p = '' OR PartnerId = $p COLLATE NOCASE)",
        ("$o", outcome switch { "Success" => 0, "MissingKey" => 1, "UnknownKey" => 2, "WrongSecret" => 3, "Revoked" => 4, "PartnerInactive" => 6, _ => 99 }),
        ("$p", partnerId?.ToString().ToUpperInvariant() ?? ""));

    private static async Task ShouldBeProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(body).RootElement.GetProperty("code").GetString().ShouldBe(code);
    }

    [Fact]
    public async Task No_key_is_401_and_audited()
    {
        var before = AuditCount("MissingKey");
        using var client = factory.PartnerClient(null);
        await ShouldBeProblem(await client.GetAsync("/api/partners/jobs"), HttpStatusCode.Unauthorized, "partners.api_key_missing");
        AuditCount("MissingKey").ShouldBe(before + 1);
    }

    [Fact]
    public async Task An_unknown_key_is_401_and_audited()
    {
        var before = AuditCount("UnknownKey");
        using var client = factory.PartnerClient("rk_live_deadbeef.0000000000000000000000000000000000000000000000000000000000000000");
        await ShouldBeProblem(await client.GetAsync("/api/partners/jobs"), HttpStatusCode.Unauthorized, "partners.api_key_invalid");
        AuditCount("UnknownKey").ShouldBe(before + 1);
        factory.Text("SELECT KeyPrefix FROM partners_AuthAudit ORDER BY Id DESC LIMIT 1").ShouldBe("rk_live_deadbeef");
    }

    [Fact]
    public async Task A_known_prefix_with_a_wrong_secret_is_401_and_audited_against_the_partner()
    {
        var partner = await factory.CreatePartnerAsync();
        var forged = partner.LiveKey[..(partner.LiveKey.IndexOf('.', StringComparison.Ordinal) + 1)] + new string('0', 64);
        using var client = factory.PartnerClient(forged);
        await ShouldBeProblem(await client.GetAsync("/api/partners/jobs"), HttpStatusCode.Unauthorized, "partners.api_key_invalid");
        AuditCount("WrongSecret", partner.Id).ShouldBe(1);
    }

    [Fact]
    public async Task A_call_whose_audit_row_cannot_be_stored_is_not_answered_as_done_and_is_logged()
    {
        var logs = new CapturingLoggerProvider();
        using var app = new PartnersAppFactory(null, jobServer: false, s => s.AddSingleton<ILoggerProvider>(logs));
        var partner = await app.CreatePartnerAsync();
        app.Scalar("ALTER TABLE partners_AuthAudit RENAME TO partners_AuthAudit_gone; SELECT 1").ShouldBe(1);
        using var client = app.PartnerClient(partner.LiveKey);

        using var response = await client.GetAsync("/api/partners/jobs");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var prefix = partner.LiveKey[..partner.LiveKey.IndexOf('.', StringComparison.Ordinal)];
        logs.Entries.ShouldContain(e => e.Level == LogLevel.Error && e.EventId == 5014 && e.Message.Contains(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_valid_key_works_records_last_use_and_a_success_row()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var response = await client.GetAsync("/api/partners/jobs");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        AuditCount("Success", partner.Id).ShouldBe(1);
        factory.Scalar("SELECT COUNT(*) FROM partners_ApiKeys WHERE PartnerId = $p COLLATE NOCASE AND LastUsedAt IS NOT NULL",
            ("$p", partner.Id.ToString().ToUpperInvariant())).ShouldBe(1);
    }

    [Fact]
    public async Task A_revoked_key_is_401_at_once_while_the_other_key_keeps_working()
    {
        var partner = await factory.CreatePartnerAsync();
        using var admin = await factory.SignedInBrowserAsync(Users.Catalog);
        var page = $"/admin/partners/{partner.Id}";
        var html = await admin.GetStringAsync(page);
        var prefix = partner.LiveKey[..partner.LiveKey.IndexOf('.', StringComparison.Ordinal)];
        var keyId = System.Text.RegularExpressions.Regex.Match(html, $"<code>{prefix}</code>.*?name=\"keyId\" value=\"([0-9a-f-]+)\"", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        var revoke = await AppClient.PostFormAsync(admin, page, new Dictionary<string, string> { ["keyId"] = keyId }, postTo: page + "?handler=RevokeKey");
        revoke.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        using var revoked = factory.PartnerClient(partner.LiveKey);
        await ShouldBeProblem(await revoked.GetAsync("/api/partners/jobs"), HttpStatusCode.Unauthorized, "partners.api_key_invalid");
        AuditCount("Revoked", partner.Id).ShouldBe(1);
        using var other = factory.PartnerClient(partner.SandboxKey);
        (await other.GetAsync("/api/partners/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("7d")]
    public async Task A_key_expiry_that_is_not_a_whole_number_of_days_creates_no_key(string expiresInDays)
    {
        // The value did not bind and arrived as "no expiry": the admin asked for a key that stops working soon and got
        // one that never does.
        var partner = await factory.CreatePartnerAsync();
        using var admin = await factory.SignedInBrowserAsync(Users.Catalog);
        var page = $"/admin/partners/{partner.Id}";
        var keys = () => factory.Scalar("SELECT COUNT(*) FROM partners_ApiKeys WHERE PartnerId = $p COLLATE NOCASE", ("$p", partner.Id.ToString().ToUpperInvariant()));
        var before = keys();

        var response = await AppClient.PostFormAsync(admin, page, new Dictionary<string, string>
        {
            ["Key.Name"] = "rotation",
            ["Key.Sandbox"] = "false",
            ["Key.ExpiresInDays"] = expiresInDays,
        }, postTo: page + "?handler=CreateKey");

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, Html.Text(html));
        Html.Text(html).ShouldContain($"The value '{expiresInDays}' is not valid");
        html.ShouldNotContain("new-key-value");
        keys().ShouldBe(before);
    }

    [Fact]
    public async Task A_valid_key_of_an_inactive_partner_is_401_and_audited_against_the_partner()
    {
        var partner = await factory.CreatePartnerAsync();
        factory.Scalar("UPDATE partners_Partners SET IsActive = 0 WHERE Id = $p COLLATE NOCASE; SELECT changes()",
            ("$p", partner.Id.ToString().ToUpperInvariant())).ShouldBe(1);

        using var client = factory.PartnerClient(partner.LiveKey);
        await ShouldBeProblem(await client.GetAsync("/api/partners/jobs"), HttpStatusCode.Unauthorized, "partners.api_key_invalid");
        AuditCount("PartnerInactive", partner.Id).ShouldBe(1);
        AuditCount("Success", partner.Id).ShouldBe(0);
    }

    [Fact]
    public async Task Another_partners_job_is_404_like_an_unknown_one()
    {
        var owner = await factory.CreatePartnerAsync();
        var stranger = await factory.CreatePartnerAsync();
        using var ownerClient = factory.PartnerClient(owner.LiveKey);
        var posted = await ownerClient.PostFeedAsync(PartnerSetup.CsvFeed("OWN-" + Guid.NewGuid().ToString("N")[..6], 2), "feed.csv");
        var job = (await posted.Content.ReadFromJsonAsync<FeedJobJson>())!;

        (await ownerClient.GetAsync($"/api/partners/jobs/{job.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var strangerClient = factory.PartnerClient(stranger.LiveKey);
        await ShouldBeProblem(await strangerClient.GetAsync($"/api/partners/jobs/{job.Id}"), HttpStatusCode.NotFound, "partners.job_not_found");
        await ShouldBeProblem(await strangerClient.GetAsync($"/api/partners/jobs/{job.Id}/errors.csv"), HttpStatusCode.NotFound, "partners.job_not_found");
        await ShouldBeProblem(await strangerClient.GetAsync($"/api/partners/jobs/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "partners.job_not_found");
    }

    [Fact]
    public async Task Another_partners_job_is_404_in_the_portal_too_page_status_and_error_csv()
    {
        var owner = await factory.CreatePartnerAsync();
        var stranger = await factory.CreatePartnerAsync();
        using var ownerClient = factory.PartnerClient(owner.LiveKey);
        var job = (await (await ownerClient.PostFeedAsync("sku,name,price,currency,stock\nOK-1,Good,1.00,USD,1\n,No sku,1.00,USD,1\n", "feed.csv"))
            .Content.ReadFromJsonAsync<FeedJobJson>())!;
        job.Rejected.ShouldBe(1);

        using var admin = await factory.SignedInBrowserAsync(Users.Catalog);
        var email = Users.NewEmail("partner");
        var page = $"/admin/partners/{stranger.Id}";
        (await AppClient.PostFormAsync(admin, page, new Dictionary<string, string>
        {
            ["NewUser.Email"] = email,
            ["NewUser.DisplayName"] = "Stranger staff",
            ["NewUser.Password"] = RetailAppFactory.DemoPassword,
        }, postTo: page + "?handler=CreateUser")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var portal = factory.Browser();
        await AppClient.LoginAsync(portal, email, RetailAppFactory.DemoPassword);

        foreach (var url in new[] { $"/partner/jobs/{job.Id}", $"/partner/jobs/{job.Id}?handler=Status", $"/partner/jobs/{job.Id}?handler=ErrorsCsv" })
        {
            var response = await portal.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
            (await response.Content.ReadAsStringAsync()).ShouldNotContain("No sku", customMessage: url);
        }

        Html.TableRows(await portal.GetStringAsync("/partner/jobs")).ShouldNotContain(r => r.Contains(job.Id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sandbox_key_gets_the_full_report_and_writes_nothing()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.SandboxKey);
        var response = await client.PostFeedAsync(PartnerSetup.Fixture("with-errors.csv"), "feed.csv");
        var job = (await response.Content.ReadFromJsonAsync<FeedJobJson>())!;

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        job.Mode.ShouldBe("Validate");
        job.Status.ShouldBe("CompletedWithErrors");
        job.Rows.ShouldBe(6);
        job.Rejected.ShouldBe(3);
        var report = (await client.GetFromJsonAsync<FeedReportJson>($"/api/partners/jobs/{job.Id}/report"))!;
        report.Errors.Select(e => (e.Line, e.Field)).ShouldBe([(3, "name"), (5, "price"), (6, "stock")]);
        factory.Scalar("SELECT COUNT(*) FROM catalog_Products WHERE PartnerId = $p", ("$p", partner.CatalogId)).ShouldBe(0);
        AuditCount("Success", partner.Id).ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Validate_mode_with_a_live_key_writes_nothing_either()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var job = (await (await client.PostFeedAsync(PartnerSetup.CsvFeed("VAL", 3), "feed.csv", "?mode=validate")).Content.ReadFromJsonAsync<FeedJobJson>())!;
        job.Mode.ShouldBe("Validate");
        job.Status.ShouldBe("Completed");
        job.Rows.ShouldBe(3);
        factory.Scalar("SELECT COUNT(*) FROM catalog_Products WHERE PartnerId = $p", ("$p", partner.CatalogId)).ShouldBe(0);
    }

    [Fact]
    public async Task A_signed_in_admin_cookie_is_not_an_api_key()
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);
        (await admin.GetAsync("/api/partners/jobs")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Admins_see_the_audit_and_partners_cannot_reach_the_back_office()
    {
        using var client = factory.PartnerClient("rk_live_0badc0de.x");
        await client.GetAsync("/api/partners/jobs");
        using var admin = await factory.SignedInBrowserAsync(Users.Catalog);
        var html = await admin.GetStringAsync("/admin/partners/audit");
        Html.Text(html).ShouldContain("rk_live_0badc0de");
        using var customer = await factory.SignedInBrowserAsync(Users.Customer);
        (await customer.GetAsync("/admin/partners")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await customer.GetAsync("/partner")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task An_audit_page_number_past_int_range_is_refused_not_answered_with_the_first_page()
    {
        using var client = factory.PartnerClient("rk_live_0ff5e70f.x");
        await client.GetAsync("/api/partners/jobs");
        using var admin = await factory.SignedInBrowserAsync(Users.Catalog);

        // (page - 1) * pageSize overflowed int and wrapped to a negative offset, which SQLite reads as 0: page 1 again.
        var response = await admin.GetAsync($"/admin/partners/audit?page={int.MaxValue}");

        var text = Html.Text(await response.Content.ReadAsStringAsync());
        text.ShouldNotContain("rk_live_0ff5e70f", customMessage: "a page past the end lists no attempts");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_jobs_or_report_page_number_past_int_range_is_a_400_problem_not_the_first_page()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var job = (await (await client.PostFeedAsync(PartnerSetup.CsvFeed("PG-" + Guid.NewGuid().ToString("N")[..6], 1), "feed.csv")).Content.ReadFromJsonAsync<FeedJobJson>())!;

        // (page - 1) * pageSize wrapped to a negative offset, which SQLite reads as 0: the first jobs came back as that page.
        var list = await client.GetAsync($"/api/partners/jobs?page={int.MaxValue}");
        (await list.Content.ReadAsStringAsync()).ShouldNotContain(job.Id.ToString());
        await ShouldBeProblem(list, HttpStatusCode.BadRequest, "validation_failed");
        await ShouldBeProblem(await client.GetAsync($"/api/partners/jobs/{job.Id}/report?page={int.MaxValue}"), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Renaming_a_partner_to_another_partners_name_is_a_409_on_the_page_not_a_500()
    {
        var first = await factory.CreatePartnerAsync();
        var second = await factory.CreatePartnerAsync();
        using var admin = await factory.SignedInBrowserAsync(Users.Catalog);
        var page = $"/admin/partners/{second.Id}";

        var response = await AppClient.PostFormAsync(admin, page, new Dictionary<string, string>
        {
            ["Settings.Name"] = " " + first.Name + " ",
            ["Settings.ContactEmail"] = "feeds@partner.example",
            ["Settings.CallbackUrl"] = "",
            ["Settings.StrictMode"] = "false",
        }, postTo: page + "?handler=Settings");

        var text = Html.Text(await response.Content.ReadAsStringAsync());
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict, text);
        text.ShouldContain($"A partner named '{first.Name}' already exists.");
        factory.Text("SELECT Name FROM partners_Partners WHERE Id = $p COLLATE NOCASE", ("$p", second.Id.ToString().ToUpperInvariant())).ShouldBe(second.Name);
    }
}
