using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Feeds;
using Retail.Modules.Partners.Application.Feeds.Pipeline;
using Retail.Modules.Partners.Application.Keys;
using Retail.Modules.Partners.Domain.Feeds;
using Retail.Modules.Partners.Domain.Partners;
using Retail.Modules.Partners.Domain.Webhooks;

namespace Retail.Modules.Partners.IntegrationTests;

/// <summary>The ingest pipeline through Catalog's real handlers into a real SQLite file, in batches, with unchanged detection.</summary>
public sealed class IngestIntegrationTests(PartnersFixture fixture) : IClassFixture<PartnersFixture>
{
    private async Task<Partner> NewPartnerAsync() => (await fixture.NewPartnerAsync()).Partner;

    private Task<FeedJobDto> SubmitAsync(Partner partner, string csv, FeedKind kind = FeedKind.Delta) =>
        SubmitAsync(partner, Encoding.UTF8.GetBytes(csv), "feed.csv", kind);

    private async Task<FeedJobDto> SubmitAsync(Partner partner, byte[] feed, string fileName, FeedKind kind = FeedKind.Delta)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var submissions = scope.ServiceProvider.GetRequiredService<FeedSubmissions>();
        using var body = new MemoryStream(feed);
        // Bigger than the inline limit would queue to Hangfire; the stored-feed path runs it here like a schedule does.
        var stored = await scope.ServiceProvider.GetRequiredService<IFeedStorage>().SaveAsync(body, long.MaxValue, CancellationToken.None);
        var result = await submissions.SubmitStoredAsync(partner.Id, stored!, null, fileName, kind, CancellationToken.None);
        result.IsSuccess.ShouldBeTrue(result.IsSuccess ? "" : result.Error.Message);
        return result.Value.Job;
    }

    private static string Csv(string prefix, int rows, Func<int, decimal>? price = null)
    {
        var builder = new StringBuilder("sku,name,price,currency,stock\n");
        for (var i = 1; i <= rows; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{prefix}-{i},Item {i},{(price ?? (_ => 10m))(i)},USD,{i % 7}\n");
        }

        return builder.ToString();
    }

    private async Task<T> CatalogAsync<T>(Func<ICatalogDbContext, Task<T>> read)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<ICatalogDbContext>());
    }

    [Fact]
    public async Task A_feed_lands_in_catalog_in_batches_and_the_same_rows_again_change_nothing()
    {
        var partner = await NewPartnerAsync();
        var prefix = "IT" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

        var first = await SubmitAsync(partner, Csv(prefix, 1200));
        (first.Status, first.Rows, first.Created).ShouldBe(("Completed", 1200, 1200));
        (await CatalogAsync(db => db.Products.CountAsync(p => p.PartnerId == partner.PublicId))).ShouldBe(1200);
        var outbox = await CatalogAsync(db => ((DbContext)db).Set<Retail.BuildingBlocks.Infrastructure.Outbox.OutboxMessage>().CountAsync());

        var again = await SubmitAsync(partner, Csv(prefix, 1200) + "\n");
        (again.Created, again.Updated, again.Unchanged).ShouldBe((0, 0, 1200));
        (await CatalogAsync(db => ((DbContext)db).Set<Retail.BuildingBlocks.Infrastructure.Outbox.OutboxMessage>().CountAsync())).ShouldBe(outbox);

        var changed = await SubmitAsync(partner, Csv(prefix, 1200, i => i <= 10 ? 11m : 10m));
        (changed.Created, changed.Updated, changed.Unchanged).ShouldBe((0, 10, 1190));
        (await CatalogAsync(db => db.Products.Where(p => p.Sku == $"{prefix}-3").Select(p => p.Price).SingleAsync())).ShouldBe(11m);
    }

    [Fact]
    public async Task An_xml_feed_with_invalid_utf8_past_its_first_64_kb_fails_as_a_wrong_encoding()
    {
        var partner = await NewPartnerAsync();
        var prefix = "XE" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var xml = new StringBuilder("<products>\n");
        var description = new string('d', 200);
        for (var i = 1; i <= 300; i++)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<product><sku>{prefix}-{i}</sku><name>Item {i}</name><description>{description}</description><price>1.00</price><currency>USD</currency><stock>1</stock></product>\n");
        }

        // The feed is read in 64 KB chunks: a Latin-1 byte this far in is decoded while a record is being read.
        var head = Encoding.UTF8.GetBytes(xml + $"<product><sku>{prefix}-X</sku><name>Caf");
        var tail = Encoding.UTF8.GetBytes(" cr\u00e8me</name><price>1.00</price><currency>USD</currency><stock>1</stock></product>\n</products>\n");
        head.Length.ShouldBeGreaterThan(64 * 1024);

        var job = await SubmitAsync(partner, [.. head, 0xE9, .. tail], "feed.xml");

        (job.Status, job.Created).ShouldBe(("Failed", 0));
        await using var scope = fixture.Services.CreateAsyncScope();
        var error = await scope.ServiceProvider.GetRequiredService<IPartnersDbContext>().FeedRowErrors.SingleAsync(e => e.JobId == job.Id);
        (error.Field, error.Code).ShouldBe(("file", "encoding"));
    }

    [Fact]
    public async Task A_file_refused_as_a_whole_after_its_first_batch_imports_nothing()
    {
        var partner = await NewPartnerAsync();
        var prefix = "TR" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        // 600 good rows (more than one batch of 500), then a quote that never closes: a cut-off upload.
        var csv = Csv(prefix, 600) + $"{prefix}-601,\"Lamp, brass,1.00,USD,1\n";

        var job = await SubmitAsync(partner, csv);

        (job.Status, job.Created).ShouldBe(("Failed", 0));
        (await CatalogAsync(db => db.Products.CountAsync(p => p.PartnerId == partner.PublicId))).ShouldBe(0);
        await using var scope = fixture.Services.CreateAsyncScope();
        var error = await scope.ServiceProvider.GetRequiredService<IPartnersDbContext>().FeedRowErrors.SingleAsync(e => e.JobId == job.Id);
        (error.Line, error.Field, error.Code).ShouldBe((602, "file", "unterminated_quote"));
    }

    [Fact]
    public async Task A_job_that_fails_on_an_unexpected_error_ends_failed_instead_of_processing_for_ever()
    {
        var partner = await NewPartnerAsync();
        await using var scope = fixture.Services.CreateAsyncScope();
        var storage = scope.ServiceProvider.GetRequiredService<IFeedStorage>();
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(Csv("GN" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), 3)));
        var stored = await storage.SaveAsync(body, long.MaxValue, CancellationToken.None);
        // The stored file goes missing before the job reads it (a cleanup, a storage folder not shared between instances).
        storage.Delete(stored!.ContentHash);

        var result = await scope.ServiceProvider.GetRequiredService<FeedSubmissions>().SubmitStoredAsync(partner.Id, stored, null, "feed.csv", FeedKind.Delta, CancellationToken.None);

        var job = result.Value.Job;
        job.Status.ShouldBe("Failed");
        job.FailureReason.ShouldBe(FeedIngestProcessor.InternalFailure(job.Id));
        job.FailureReason!.ShouldNotContain("FileNotFound", Case.Insensitive, "internals stay in the log");
    }

    [Theory]
    [InlineData("google.rss", """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>
          <item>
            <g:id>{0}-1</g:id><g:title>Shoe</g:title><g:price>89.90 USD</g:price><g:quantity>3</g:quantity>
            <g:shipping><g:country>US</g:country><g:service>Standard</g:service><g:price>4.95 USD</g:price></g:shipping>
          </item>
        </channel></rss>
        """)]
    [InlineData("feed.json", """[{"sku": "{0}-1", "name": "Shoe", "price": "89.90", "currency": "USD", "stock": 3, "shipping": [{"country": "US", "price": "4.95 USD"}]}]""")]
    [InlineData("feed.csv", "sku,name,price,currency,stock,internal_notes\n{0}-1,Shoe,89.90,USD,3,\"ask\u0007 warehouse\"\n")]
    public async Task A_field_outside_the_schema_is_ignored_whatever_it_holds(string fileName, string template)
    {
        var partner = await NewPartnerAsync();
        var prefix = "UF" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

        var job = await SubmitAsync(partner, Encoding.UTF8.GetBytes(template.Trim().Replace("{0}", prefix, StringComparison.Ordinal)), fileName);

        (job.Status, job.Created, job.Rejected).ShouldBe(("Completed", 1, 0));
        (await CatalogAsync(db => db.Products.Where(p => p.Sku == $"{prefix}-1").Select(p => p.Price).SingleAsync())).ShouldBe(89.90m);
    }

    [Fact]
    public async Task A_sku_of_another_seller_is_refused_on_its_line()
    {
        var owner = await NewPartnerAsync();
        var other = await NewPartnerAsync();
        var prefix = "OWN" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        (await SubmitAsync(owner, Csv(prefix, 2))).Created.ShouldBe(2);

        var job = await SubmitAsync(other, $"sku,name,price,currency,stock\nFREE-{prefix},Free,1.00,USD,1\n{prefix}-2,Taken,1.00,USD,1\n");
        (job.Status, job.Created, job.Rejected).ShouldBe(("CompletedWithErrors", 1, 1));
        await using var scope = fixture.Services.CreateAsyncScope();
        var error = await scope.ServiceProvider.GetRequiredService<IPartnersDbContext>().FeedRowErrors.SingleAsync(e => e.JobId == job.Id);
        (error.Line, error.Field, error.Code).ShouldBe((3, "sku", "sku_owned_elsewhere"));
        (await CatalogAsync(db => db.Products.Where(p => p.Sku == $"{prefix}-2").Select(p => p.Name).SingleAsync())).ShouldBe("Item 2");
    }

    [Fact]
    public async Task The_authenticator_audits_and_records_last_use_in_the_database()
    {
        var partner = await NewPartnerAsync();
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
            var (key, plain) = ApiKey.Issue(partner.Id, "k", ApiKeyEnvironment.Live, null, fixture.Time.GetUtcNow());
            db.ApiKeys.Add(key);
            await db.SaveChangesAsync();
            var authenticator = scope.ServiceProvider.GetRequiredService<ApiKeyAuthenticator>();

            var accepted = await authenticator.AuthenticateAsync(plain, "10.0.0.1", "/api/partners/jobs", CancellationToken.None);
            accepted.Outcome.ShouldBe(AuthOutcome.Success);
            var forged = plain[..^1] + (plain[^1] == '0' ? "1" : "0");
            var refused = await authenticator.AuthenticateAsync(forged, "10.0.0.2", "/api/partners/jobs", CancellationToken.None);
            refused.Outcome.ShouldBe(AuthOutcome.WrongSecret);
            await Task.WhenAll(accepted.Audited, refused.Audited); // what a request awaits before it answers
        }

        await using var read = fixture.Services.CreateAsyncScope();
        var rows = await read.ServiceProvider.GetRequiredService<IPartnersDbContext>().AuthAudit.Where(a => a.PartnerId == partner.Id).OrderBy(a => a.Id).ToListAsync();
        rows.Count.ShouldBe(2);
        rows[0].SourceIp.ShouldBe("10.0.0.1");
        (await read.ServiceProvider.GetRequiredService<IPartnersDbContext>().ApiKeys.SingleAsync(k => k.PartnerId == partner.Id)).LastUsedAt.ShouldBe(fixture.Time.GetUtcNow());
    }

    [Fact]
    public async Task A_delivery_id_is_unique_per_partner_in_the_database()
    {
        var partner = await NewPartnerAsync();
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
        db.WebhookDeliveries.Add(WebhookDelivery.Receive(partner.Id, "same", "A", 1, 1, "h", fixture.Time.GetUtcNow()));
        await db.SaveChangesAsync();
        db.WebhookDeliveries.Add(WebhookDelivery.Receive(partner.Id, "same", "A", 2, 2, "h", fixture.Time.GetUtcNow()));
        await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }
}
