using System.Net;
using System.Net.Http.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Partners;

/// <summary>SPEC M1/I3/U2: feeds over HTTP into Catalog, with reports, idempotency, full feeds and size limits.</summary>
public sealed class FeedIngestTests(PartnersAppFactory factory) : IClassFixture<PartnersAppFactory>
{
    private static string Prefix() => "F" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();

    private long PartnerProducts(TestPartner partner, bool activeOnly = false) =>
        factory.Scalar($"SELECT COUNT(*) FROM catalog_Products WHERE PartnerId = $p{(activeOnly ? " AND IsActive = 1" : "")}", ("$p", partner.CatalogId));

    [Fact]
    public async Task A_small_feed_is_imported_at_once_and_the_products_are_in_the_catalog()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var prefix = Prefix();
        var response = await client.PostFeedAsync(PartnerSetup.CsvFeed(prefix, 3, price: 12.50m, stock: 4), "feed.csv");
        var job = (await response.Content.ReadFromJsonAsync<FeedJobJson>())!;

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        job.Status.ShouldBe("Completed");
        job.Percent.ShouldBe(100);
        (job.Rows, job.Created, job.Updated, job.Unchanged, job.Rejected).ShouldBe((3, 3, 0, 0, 0));
        var product = await CatalogApi.GetProductAsync(factory.AnonymousApi(), $"{prefix}-2");
        product.Name.ShouldBe("Product 2");
        product.Price.ShouldBe(12.50m);
        product.Stock.ShouldBe(4);
        product.CategorySlug.ShouldBe("partner-products");
    }

    [Fact]
    public async Task Re_sending_the_same_file_returns_the_original_job_and_an_equal_feed_changes_nothing()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var prefix = Prefix();
        var feed = PartnerSetup.CsvFeed(prefix, 4);
        var first = (await (await client.PostFeedAsync(feed, "feed.csv")).Content.ReadFromJsonAsync<FeedJobJson>())!;

        var repeat = await client.PostFeedAsync(feed, "feed.csv");
        repeat.Headers.GetValues("Idempotent-Replay").ShouldBe(["true"]);
        (await repeat.Content.ReadFromJsonAsync<FeedJobJson>())!.Id.ShouldBe(first.Id);
        factory.Scalar("SELECT COUNT(*) FROM partners_FeedJobs WHERE PartnerId = $p COLLATE NOCASE", ("$p", partner.Id.ToString().ToUpperInvariant())).ShouldBe(1);

        // The same products in another file (different bytes): nothing is written, everything counts as unchanged.
        var outboxBefore = factory.Scalar("SELECT COUNT(*) FROM catalog_OutboxMessages");
        var again = (await (await client.PostFeedAsync(feed + "\n", "feed.csv")).Content.ReadFromJsonAsync<FeedJobJson>())!;
        again.Id.ShouldNotBe(first.Id);
        (again.Created, again.Updated, again.Unchanged).ShouldBe((0, 0, 4));
        factory.Scalar("SELECT COUNT(*) FROM catalog_OutboxMessages").ShouldBe(outboxBefore);

        var changed = (await (await client.PostFeedAsync(PartnerSetup.CsvFeed(prefix, 4, price: 11.00m), "feed.csv")).Content.ReadFromJsonAsync<FeedJobJson>())!;
        (changed.Created, changed.Updated, changed.Unchanged).ShouldBe((0, 4, 0));
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_first_job_and_refuses_another_body()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var key = Guid.NewGuid().ToString();
        var feed = PartnerSetup.CsvFeed(Prefix(), 1);
        var first = (await (await client.PostFeedAsync(feed, "feed.csv", idempotencyKey: key)).Content.ReadFromJsonAsync<FeedJobJson>())!;
        var again = await client.PostFeedAsync(feed, "feed.csv", idempotencyKey: key);
        (await again.Content.ReadFromJsonAsync<FeedJobJson>())!.Id.ShouldBe(first.Id);

        var other = await client.PostFeedAsync(PartnerSetup.CsvFeed(Prefix(), 1), "feed.csv", idempotencyKey: key);
        other.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_mode_or_kind_is_422_not_the_first_job()
    {
        // The key names one request: the same file sent for import under the key of its validate-only run got that run
        // back (200, Idempotent-Replay) and the partner believed it imported while nothing was written.
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var key = Guid.NewGuid().ToString();
        var feed = PartnerSetup.CsvFeed(Prefix(), 2);
        var validated = await client.PostFeedAsync(feed, "feed.csv", "?mode=validate", idempotencyKey: key);
        (await validated.Content.ReadFromJsonAsync<FeedJobJson>())!.Mode.ShouldBe("Validate");

        var import = await client.PostFeedAsync(feed, "feed.csv", idempotencyKey: key);
        var full = await client.PostFeedAsync(feed, "feed.csv", "?mode=validate&kind=full", idempotencyKey: key);

        foreach (var refused in new[] { import, full })
        {
            var body = await refused.Content.ReadAsStringAsync();
            refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, body);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            body.ShouldContain("partners.idempotency_key_reused");
        }

        PartnerProducts(partner).ShouldBe(0);
        factory.Scalar("SELECT COUNT(*) FROM partners_FeedJobs WHERE PartnerId = $p COLLATE NOCASE", ("$p", partner.Id.ToString().ToUpperInvariant())).ShouldBe(1);
    }

    [Fact]
    public async Task Row_errors_are_reported_by_line_and_field_and_downloadable_while_good_rows_are_imported()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var job = (await (await client.PostFeedAsync(PartnerSetup.Fixture("with-errors.csv"), "with-errors.csv")).Content.ReadFromJsonAsync<FeedJobJson>())!;

        job.Status.ShouldBe("CompletedWithErrors");
        (job.Rows, job.Created, job.Rejected).ShouldBe((6, 3, 3));
        var report = (await client.GetFromJsonAsync<FeedReportJson>($"/api/partners/jobs/{job.Id}/report"))!;
        report.TotalErrors.ShouldBe(3);
        report.Errors.Select(e => $"{e.Line}:{e.Field}:{e.Code}").ShouldBe(["3:name:required", "5:price:negative", "6:stock:not_an_integer"]);
        var csv = await client.GetAsync($"/api/partners/jobs/{job.Id}/errors.csv");
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("line,field,code,message,sku");
        lines[2].ShouldStartWith("5,\"price\",\"negative\",");
        lines.Length.ShouldBe(4);
        PartnerProducts(partner).ShouldBe(3);
        factory.Scalar("SELECT COUNT(*) FROM catalog_Products WHERE Sku IN ('BAD-1','BAD-2','BAD-3') AND PartnerId = $p", ("$p", partner.CatalogId)).ShouldBe(0);
    }

    [Fact]
    public async Task A_strict_partner_gets_the_whole_feed_rejected_by_one_bad_row()
    {
        var partner = await factory.CreatePartnerAsync(strict: true);
        using var client = factory.PartnerClient(partner.LiveKey);
        var job = (await (await client.PostFeedAsync(PartnerSetup.Fixture("with-errors.csv"), "feed.csv")).Content.ReadFromJsonAsync<FeedJobJson>())!;

        job.Status.ShouldBe("Failed");
        job.Rejected.ShouldBe(6);
        job.FailureReason.ShouldNotBeNull().ShouldContain("Strict mode");
        PartnerProducts(partner).ShouldBe(0);
        var report = (await client.GetFromJsonAsync<FeedReportJson>($"/api/partners/jobs/{job.Id}/report"))!;
        report.TotalErrors.ShouldBe(3);

        var clean = (await (await client.PostFeedAsync(PartnerSetup.CsvFeed(Prefix(), 2), "feed.csv")).Content.ReadFromJsonAsync<FeedJobJson>())!;
        (clean.Status, clean.Created).ShouldBe(("Completed", 2));
    }

    [Fact]
    public async Task A_full_feed_deactivates_missing_products_and_pauses_when_too_many_would_vanish()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var prefix = Prefix();
        (await (await client.PostFeedAsync(PartnerSetup.CsvFeed(prefix, 10), "all.csv")).Content.ReadFromJsonAsync<FeedJobJson>())!.Created.ShouldBe(10);

        // 1 of 10 missing (10%): deactivated at once.
        var nine = (await (await client.PostFeedAsync(PartnerSetup.CsvFeed(prefix, 9), "nine.csv", "?kind=full")).Content.ReadFromJsonAsync<FeedJobJson>())!;
        (nine.Status, nine.Deactivated, nine.Unchanged).ShouldBe(("Completed", 1, 9));
        PartnerProducts(partner, activeOnly: true).ShouldBe(9);

        // 5 of 9 missing (55%): paused until an admin confirms.
        var four = (await (await client.PostFeedAsync(PartnerSetup.CsvFeed(prefix, 4), "four.csv", "?kind=full")).Content.ReadFromJsonAsync<FeedJobJson>())!;
        four.Status.ShouldBe("AwaitingConfirmation");
        four.PendingDeactivations.ShouldBe(5);
        PartnerProducts(partner, activeOnly: true).ShouldBe(9);

        using var admin = await factory.SignedInBrowserAsync(Users.Catalog);
        var page = $"/admin/partners/{partner.Id}";
        var confirm = await AppClient.PostFormAsync(admin, page, new Dictionary<string, string> { ["jobId"] = four.Id.ToString() }, postTo: page + "?handler=Confirm");
        confirm.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var done = (await client.GetFromJsonAsync<FeedJobJson>($"/api/partners/jobs/{four.Id}"))!;
        (done.Status, done.Deactivated).ShouldBe(("Completed", 5));
        PartnerProducts(partner, activeOnly: true).ShouldBe(4);
        (await factory.AnonymousApi().GetAsync($"/api/catalog/products/{prefix}-9")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_oversized_feed_is_refused_with_413_before_parsing()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var huge = new byte[13 * 1024 * 1024];
        Array.Fill(huge, (byte)'a');
        var response = await client.PostFeedAsync(huge, "huge.csv");
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).ShouldContain("partners.feed_too_large");
        factory.Scalar("SELECT COUNT(*) FROM partners_FeedJobs WHERE PartnerId = $p COLLATE NOCASE", ("$p", partner.Id.ToString().ToUpperInvariant())).ShouldBe(0);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("7")]
    [InlineData("Delta,Full")]
    [InlineData("bogus")]
    public async Task A_feed_kind_that_is_not_delta_or_full_is_400_and_no_job(string kind)
    {
        // Enum.TryParse took "1" and "Delta,Full" (0 | 1) as a full feed, which deactivates every product the feed leaves
        // out, and "7" as a kind that does not exist.
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var response = await client.PostFeedAsync(PartnerSetup.CsvFeed(Prefix(), 2), "feed.csv", $"?kind={Uri.EscapeDataString(kind)}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("kind is 'delta' (default) or 'full'.");
        factory.Scalar("SELECT COUNT(*) FROM partners_FeedJobs WHERE PartnerId = $p COLLATE NOCASE", ("$p", partner.Id.ToString().ToUpperInvariant())).ShouldBe(0);
    }

    [Fact]
    public async Task An_unknown_format_is_400()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var response = await client.PostFeedAsync("%PDF-1.4", "feed.pdf");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("partners.unsupported_format");
    }

    [Fact]
    public async Task A_google_merchant_rss_feed_is_accepted_as_a_raw_body()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var sku = Prefix();
        var rss = $"""
            <?xml version="1.0"?>
            <rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><title>t</title>
            <item><g:id>{sku}</g:id><g:title>Google lamp</g:title><g:price>15.00 USD</g:price><g:availability>in stock</g:availability><g:quantity>8</g:quantity></item>
            </channel></rss>
            """;
        using var content = new StringContent(rss, System.Text.Encoding.UTF8, "application/rss+xml");
        var response = await client.PostAsync("/api/partners/feeds", content);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var job = (await response.Content.ReadFromJsonAsync<FeedJobJson>())!;
        (job.Format, job.Status, job.Created).ShouldBe(("xml", "Completed", 1));
        var product = await CatalogApi.GetProductAsync(factory.AnonymousApi(), sku);
        (product.Name, product.Price, product.Stock).ShouldBe(("Google lamp", 15.00m, 8));
    }

    [Fact]
    public async Task The_partner_contact_gets_an_email_when_a_job_ends()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var job = (await (await client.PostFeedAsync(PartnerSetup.CsvFeed(Prefix(), 1), "feed.csv")).Content.ReadFromJsonAsync<FeedJobJson>())!;
        var mail = await Eventually.WaitForAsync(
            () => Task.FromResult(Directory.Exists(factory.MailFolder)
                ? Directory.GetFiles(factory.MailFolder, "*.eml").Select(File.ReadAllText).FirstOrDefault(m => m.Contains(job.Id.ToString(), StringComparison.Ordinal))
                : null),
            m => m is not null, "the feed report email");
        mail.ShouldNotBeNull().ShouldContain("feeds@partner.example");
        mail.ShouldContain("Created: 1");
    }
}
