using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Partners.Application.Feeds.Parsing;
using static Retail.Modules.Partners.UnitTests.FeedTestSupport;

namespace Retail.Modules.Partners.UnitTests;

public sealed class AdapterTests
{
    private static readonly PartnerProductRow[] Expected =
    [
        new("ACME-001", "Trail Running Shoe", "Light trail shoe with a \"rock plate\", sizes 38-47", "Sports", 89.90m, 25, "Acme", "4006381333931", "https://cdn.example.com/acme-001.jpg"),
        new("ACME-002", "Merino Socks (3 pack)", "Warm and breathable", "Sports", 19.50m, 120, "Acme", null, "https://cdn.example.com/acme-002.jpg"),
        new("ACME-003", "Insulated Bottle 750 ml", "Keeps drinks cold for 24 h,\nhot for 12 h", "Home & Kitchen", 24.00m, 0, "Acme", "00012345678905", null),
    ];

    [Theory]
    [InlineData("products.csv", "csv")]
    [InlineData("products.tsv", "tsv")]
    [InlineData("products.json", "json")]
    [InlineData("products.xml", "xml")]
    [InlineData("products.rss.xml", "xml")]
    public async Task Every_sample_feed_parses_to_the_same_products(string file, string format)
    {
        var adapter = Registry().Resolve(null, file);
        adapter.ShouldNotBeNull();
        adapter.Format.ShouldBe(format);
        await using var stream = File.OpenRead(Sample(file));

        var (rows, issues) = await MapAsync(adapter, stream);

        issues.ShouldBeEmpty();
        rows.Count.ShouldBe(3);
        for (var i = 0; i < Expected.Length; i++)
        {
            Normalize(rows[i]).ShouldBe(Expected[i], $"{file} row {i + 1}");
        }
    }

    [Fact]
    public async Task A_fourth_format_is_one_new_class_plus_registration()
    {
        // JSON Lines: a new adapter class here; none of the existing adapters, the mapper or the validator changes.
        var registry = Registry(new JsonLinesFeedAdapter());
        var adapter = registry.Resolve(null, "products.jsonl");
        adapter.ShouldBeOfType<JsonLinesFeedAdapter>();
        registry.Resolve("application/x-ndjson", null).ShouldBeOfType<JsonLinesFeedAdapter>();
        await using var stream = File.OpenRead(Sample("products.jsonl"));

        var (rows, issues) = await MapAsync(adapter!, stream);

        issues.ShouldBeEmpty();
        rows.Select(Normalize).ShouldBe(Expected);
    }

    [Theory]
    [InlineData("text/csv; charset=utf-8", null, "csv")]
    [InlineData("application/json", null, "json")]
    [InlineData("application/rss+xml", null, "xml")]
    [InlineData("text/tab-separated-values", null, "tsv")]
    [InlineData("application/octet-stream", "feed.CSV", "csv")]
    public void The_registry_chooses_by_extension_then_content_type(string contentType, string? fileName, string format) =>
        Registry().Resolve(contentType, fileName)!.Format.ShouldBe(format);

    [Fact]
    public void An_unknown_format_has_no_adapter() => Registry().Resolve("application/pdf", "feed.pdf").ShouldBeNull();

    [Fact]
    public async Task Csv_reports_the_line_where_each_record_starts()
    {
        var rows = await ReadAsync(new CsvFeedAdapter(), "sku,name\r\nA,\"two\nlines\"\r\nB,b\r\n");
        rows.Select(r => r.Line).ShouldBe([2, 4]);
        rows[0].Fields["name"].ShouldBe("two\nlines");
    }

    [Fact]
    public async Task Csv_with_an_unclosed_quote_is_refused_with_its_line()
    {
        var ex = await Should.ThrowAsync<FeedFormatException>(() => ReadAsync(new CsvFeedAdapter(), "sku,name\nA,\"open\n"));
        ex.Code.ShouldBe("unterminated_quote");
        ex.Line.ShouldBe(2);
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_as_a_wrong_encoding()
    {
        var latin1 = new byte[] { (byte)'s', (byte)'k', (byte)'u', (byte)',', (byte)'n', (byte)'a', (byte)'m', (byte)'e', (byte)'\n', (byte)'A', (byte)',', 0xE9, 0x74, 0xE9, (byte)'\n' };
        var ex = await Should.ThrowAsync<FeedFormatException>(() => ReadAsync(new CsvFeedAdapter(), new MemoryStream(latin1)));
        ex.Code.ShouldBe("encoding");
    }

    [Fact]
    public async Task A_ten_megabyte_field_is_cut_just_over_the_limit_while_reading()
    {
        var huge = new string('x', 10 * 1024 * 1024);
        var rows = await ReadAsync(new CsvFeedAdapter(), $"sku,name\nA,{huge}\n");
        rows[0].Fields["name"]!.Length.ShouldBe(Options.MaxFieldLength + 1);
    }

    [Theory]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><products><product><sku>&xxe;</sku></product></products>""")]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><products><product><name>&lol2;</name></product></products>""")]
    public async Task Xml_with_a_dtd_is_refused(string xml)
    {
        var ex = await Should.ThrowAsync<FeedFormatException>(() => ReadAsync(new XmlFeedAdapter(), xml));
        ex.Code.ShouldBe("dtd_prohibited");
    }

    [Fact]
    public async Task Deeply_nested_json_is_refused()
    {
        var deep = "[" + new string('[', 100) + new string(']', 100) + "]";
        var ex = await Should.ThrowAsync<FeedFormatException>(() => ReadAsync(new JsonFeedAdapter(), deep));
        ex.Code.ShouldBe("too_deep");
    }

    [Fact]
    public async Task A_nested_json_value_is_marked_for_the_validator()
    {
        var rows = await ReadAsync(new JsonFeedAdapter(), """[{"sku":"A","name":{"x":1}}]""");
        rows[0].Fields["name"].ShouldBe(JsonFeedAdapter.NestedValue);
    }

    private static PartnerProductRow Normalize(PartnerProductRow row) => row with { Description = row.Description?.Replace("\r\n", "\n", StringComparison.Ordinal) };

    /// <summary>The fourth format of the test: JSON Lines (one object per line).</summary>
    private sealed class JsonLinesFeedAdapter : JsonFeedAdapter
    {
        public override string Format => "jsonl";

        public override IReadOnlyList<string> ContentTypes { get; } = ["application/x-ndjson", "application/jsonl"];

        public override IReadOnlyList<string> Extensions { get; } = [".jsonl", ".ndjson"];

        protected override bool TopLevelValues => true;
    }
}
