using System.Net;
using System.Net.Http.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Partners;

/// <summary>
/// SPEC S2: the hostile fixtures in Partners/Fixtures. Each gives precise row/field errors, rejected rows never reach the
/// database, accepted text is stored literally (parameterised SQL) and rendered HTML-encoded.
/// </summary>
public sealed class HostileFeedTests(PartnersAppFactory factory) : IClassFixture<PartnersAppFactory>
{
    public static TheoryData<string, string[], string[]> RowFixtures => new()
    {
        // fixture, expected "line:field:code" errors, SKUs that must be stored
        { "sql-injection.csv", ["3:sku:invalid_sku", "4:price:not_a_number", "5:stock:not_an_integer", "6:image_url:invalid_url"], ["SQLI-1"] },
        { "script.csv", ["2:name:markup_not_allowed", "4:name:markup_not_allowed", "5:brand:markup_not_allowed"], ["XSS-2", "XSS-5"] },
        { "formula.csv", [], ["FORM-1", "FORM-2", "FORM-3", "FORM-4"] },
        { "control-chars.csv", ["2:name:control_characters", "3:description:control_characters", "4:name:control_characters"], ["CTRL-4"] },
        { "duplicate-skus.csv", ["4:sku:duplicate_sku"], ["DUP-1", "DUP-2"] },
        { "bad-prices.csv", ["2:price:negative", "3:price:not_a_number", "4:price:not_a_number", "5:price:not_a_number", "6:currency:currency_mismatch"], ["PRICE-6"] },
    };

    [Theory]
    [MemberData(nameof(RowFixtures))]
    public async Task Hostile_rows_are_rejected_precisely_and_never_stored(string fixture, string[] errors, string[] stored)
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var totalBefore = factory.Scalar("SELECT COUNT(*) FROM catalog_Products");
        var job = (await (await client.PostFeedAsync(PartnerSetup.FixtureBytes(fixture), fixture)).Content.ReadFromJsonAsync<FeedJobJson>())!;

        var report = (await client.GetFromJsonAsync<FeedReportJson>($"/api/partners/jobs/{job.Id}/report"))!;
        report.Errors.Select(e => $"{e.Line}:{e.Field}:{e.Code}").ShouldBe(errors);
        report.Errors.ShouldAllBe(e => e.Message.Length > 0);
        job.Created.ShouldBe(stored.Length);
        var skus = Enumerable.Range(0, (int)factory.Scalar("SELECT COUNT(*) FROM catalog_Products WHERE PartnerId = $p", ("$p", partner.CatalogId)))
            .Select(i => factory.Text("SELECT Sku FROM catalog_Products WHERE PartnerId = $p ORDER BY Sku LIMIT 1 OFFSET $i", ("$p", partner.CatalogId), ("$i", i)))
            .ToList();
        skus.ShouldBe(stored);
        factory.Scalar("SELECT COUNT(*) FROM catalog_Products").ShouldBe(totalBefore + stored.Length);
    }

    [Fact]
    public async Task Sql_text_is_stored_literally_and_every_table_survives()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var tables = factory.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'");
        await client.PostFeedAsync(PartnerSetup.FixtureBytes("sql-injection.csv"), "sql.csv");
        factory.Text("SELECT Name FROM catalog_Products WHERE Sku = 'SQLI-1'").ShouldBe("Robert'); DROP TABLE catalog_Products;--");
        factory.Text("SELECT Brand FROM catalog_Products WHERE Sku = 'SQLI-1'").ShouldBe("'; DELETE FROM partners_Partners;--");
        factory.Scalar("SELECT COUNT(*) FROM partners_Partners").ShouldBeGreaterThan(0);
        factory.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").ShouldBe(tables);
    }

    [Fact]
    public async Task Scripts_are_stripped_from_descriptions_and_names_are_rendered_encoded()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        await client.PostFeedAsync(PartnerSetup.FixtureBytes("script.csv"), "script.csv");
        factory.Text("SELECT Description FROM catalog_Products WHERE Sku = 'XSS-2'").ShouldBe("Bright lamp");

        var page = await factory.AnonymousApi().GetStringAsync("/catalog/product/XSS-5");
        page.ShouldContain("Safe &amp; sound &lt;3");
        page.ShouldNotContain("Safe & sound <3");
    }

    [Fact]
    public async Task Formula_prefixes_are_neutralized_in_the_catalog_and_in_the_error_csv()
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        await client.PostFeedAsync(PartnerSetup.FixtureBytes("formula.csv"), "formula.csv");
        factory.Text("SELECT Name FROM catalog_Products WHERE Sku = 'FORM-1'").ShouldBe("'=HYPERLINK(\"http://evil.example\",\"click\")");
        factory.Text("SELECT Name FROM catalog_Products WHERE Sku = 'FORM-2'")!.ShouldStartWith("'+");
        factory.Text("SELECT Name FROM catalog_Products WHERE Sku = 'FORM-3'")!.ShouldStartWith("'@");
        factory.Text("SELECT Description FROM catalog_Products WHERE Sku = 'FORM-4'")!.ShouldStartWith("'-");
        factory.Text("SELECT Brand FROM catalog_Products WHERE Sku = 'FORM-4'").ShouldBe("'=1+1");
    }

    [Theory]
    [InlineData("xxe.xml", "dtd_prohibited")]
    [InlineData("billion-laughs.xml", "dtd_prohibited")]
    [InlineData("deeply-nested.json", "too_deep")]
    [InlineData("latin1.csv", "encoding")]
    [InlineData("latin1.json", "encoding")]
    public async Task Malformed_or_dangerous_files_are_refused_as_a_whole(string fixture, string code)
    {
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var response = await client.PostFeedAsync(PartnerSetup.FixtureBytes(fixture), fixture);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var job = (await response.Content.ReadFromJsonAsync<FeedJobJson>())!;

        job.Status.ShouldBe("Failed");
        job.Created.ShouldBe(0);
        var report = (await client.GetFromJsonAsync<FeedReportJson>($"/api/partners/jobs/{job.Id}/report"))!;
        var error = report.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(code);
        error.Field.ShouldBe("file");
        error.Line.ShouldBeGreaterThan(0);
        factory.Scalar("SELECT COUNT(*) FROM catalog_Products WHERE PartnerId = $p", ("$p", partner.CatalogId)).ShouldBe(0);
        report.Errors.ShouldAllBe(e => !e.Message.Contains("root:", StringComparison.Ordinal), "no file content leaks into the report");
    }
}
