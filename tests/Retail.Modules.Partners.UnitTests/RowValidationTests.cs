using Retail.Modules.Partners.Application.Feeds.Parsing;
using Retail.Modules.Partners.Application.Feeds.Pipeline;
using static Retail.Modules.Partners.UnitTests.FeedTestSupport;

namespace Retail.Modules.Partners.UnitTests;

/// <summary>Sanitizing and validation of single rows: every refusal names the line, the field and a stable code.</summary>
public sealed class RowValidationTests
{
    private readonly FeedRowMapper _mapper = new("USD");

    [Fact]
    public void A_valid_row_maps_to_a_catalog_row()
    {
        var (row, issues) = _mapper.Map(ValidRow());
        issues.ShouldBeEmpty();
        row.ShouldNotBeNull();
        row.Sku.ShouldBe("SKU-1");
        row.Price.ShouldBe(10.00m);
        row.Stock.ShouldBe(5);
    }

    [Theory]
    [InlineData("price", "-1", "negative")]
    [InlineData("price", "NaN", "not_a_number")]
    [InlineData("price", "Infinity", "not_a_number")]
    [InlineData("price", "1e5", "not_a_number")]
    [InlineData("price", "10.001", "too_precise")]
    [InlineData("price", "2000000", "out_of_range")]
    [InlineData("price", "", "required")]
    [InlineData("currency", "EUR", "currency_mismatch")]
    [InlineData("stock", "-3", "out_of_range")]
    [InlineData("stock", "many", "not_an_integer")]
    [InlineData("sku", "'; DROP TABLE catalog_Products;--", "invalid_sku")]
    [InlineData("sku", "", "required")]
    [InlineData("name", "<script>alert(1)</script>", "markup_not_allowed")]
    [InlineData("name", "<img src=x onerror=alert(1)>", "markup_not_allowed")]
    [InlineData("brand", "<b onmouseover=alert(1)>Acme</b>", "markup_not_allowed")]
    [InlineData("name", "Lamp\u0007", "control_characters")]
    [InlineData("description", "ok\u0000bad", "control_characters")]
    [InlineData("gtin", "12345", "invalid_gtin")]
    [InlineData("image_url", "javascript:alert(1)", "markup_not_allowed")]
    [InlineData("image_url", "ftp://example.com/a.jpg", "invalid_url")]
    public void A_bad_field_is_reported_on_its_line_and_field(string field, string value, string code)
    {
        var (row, issues) = _mapper.Map(ValidRow(7, (field, value)));
        row.ShouldBeNull();
        var issue = issues.ShouldHaveSingleItem();
        issue.Line.ShouldBe(7);
        issue.Field.ShouldBe(field);
        issue.Code.ShouldBe(code);
        issue.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void A_field_over_its_length_is_too_long()
    {
        var (_, issues) = _mapper.Map(ValidRow(3, ("name", new string('n', 4001))));
        issues.ShouldHaveSingleItem().Code.ShouldBe("too_long");
    }

    [Fact]
    public void A_nested_value_is_not_scalar()
    {
        var (_, issues) = _mapper.Map(ValidRow(3, ("category", JsonFeedAdapter.NestedValue)));
        issues.ShouldHaveSingleItem().Code.ShouldBe("not_scalar");
    }

    [Fact]
    public void Sql_injection_text_in_a_name_is_kept_as_plain_text()
    {
        const string Payload = "Robert'); DROP TABLE catalog_Products;--";
        var (row, issues) = _mapper.Map(ValidRow(2, ("name", Payload)));
        issues.ShouldBeEmpty();
        row!.Name.ShouldBe(Payload);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")")]
    [InlineData("+1+2", "'+1+2")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("Plain", "Plain")]
    public void Formula_prefixes_are_neutralized(string name, string stored) =>
        _mapper.Map(ValidRow(2, ("name", name))).Row!.Name.ShouldBe(stored);

    [Fact]
    public void Html_in_a_description_is_stripped_with_its_scripts()
    {
        var (row, issues) = _mapper.Map(ValidRow(2, ("description", "<p onclick=\"x()\">Nice <b>lamp</b></p><script>steal()</script>")));
        issues.ShouldBeEmpty();
        row!.Description.ShouldBe("Nice lamp");
    }

    [Fact]
    public void Text_is_trimmed_and_unicode_normalized()
    {
        var (row, _) = _mapper.Map(ValidRow(2, ("name", "  Cafe\u0301 lamp  ")));
        row!.Name.ShouldBe("Café lamp");
        row.Name.Length.ShouldBe(9);
    }

    [Theory]
    [InlineData("15.00 USD", null, 15.00)]
    [InlineData("7.5", "usd", 7.5)]
    public void Google_prices_carry_their_currency(string price, string? currency, double expected)
    {
        var (row, issues) = _mapper.Map(ValidRow(2, ("price", price), ("currency", currency)));
        issues.ShouldBeEmpty();
        row!.Price.ShouldBe((decimal)expected);
    }

    [Theory]
    [InlineData("in_stock", 1)]
    [InlineData("in stock", 1)]
    [InlineData("out_of_stock", 0)]
    [InlineData("preorder", 0)]
    public void Availability_stands_in_for_a_missing_quantity(string availability, int stock) =>
        _mapper.Map(ValidRow(2, ("stock", null), ("availability", availability))).Row!.Stock.ShouldBe(stock);

    [Fact]
    public void Every_missing_required_field_is_listed()
    {
        var (_, issues) = _mapper.Map(Row(4, ("description", "only this")));
        issues.Select(i => i.Field).Order().ShouldBe(["currency", "name", "price", "sku", "stock"]);
        issues.ShouldAllBe(i => i.Code == "required" && i.Line == 4);
    }

    [Fact]
    public void Markup_detection_and_stripping()
    {
        FeedSanitizer.HasMarkup("a < b and c > d").ShouldBeFalse();
        FeedSanitizer.HasMarkup("<!-- x -->").ShouldBeTrue();
        FeedSanitizer.HasMarkup("JavaScript :alert(1)").ShouldBeTrue();
        FeedSanitizer.HasMarkup("<b>bold</b>").ShouldBeTrue();
        FeedSanitizer.HasMarkup("Ratio 3:2, plain text").ShouldBeFalse();
        FeedSanitizer.HasMarkup("Blue shirt").ShouldBeFalse();
        FeedSanitizer.StripHtml("<style>p{}</style>Hi <iframe src=x></iframe>there").ShouldBe("Hi there");
        FeedSanitizer.HasControlCharacters("a\nb", allowLineBreaks: true).ShouldBeFalse();
        FeedSanitizer.HasControlCharacters("a\nb", allowLineBreaks: false).ShouldBeTrue();
        FeedSanitizer.HasControlCharacters("a\u2028b", allowLineBreaks: true).ShouldBeTrue();
        FeedSanitizer.HasControlCharacters("a\tb", allowLineBreaks: true).ShouldBeFalse();
        FeedSanitizer.HasControlCharacters("a\u0007b", allowLineBreaks: true).ShouldBeTrue();
        FeedSanitizer.HasControlCharacters("plain", allowLineBreaks: false).ShouldBeFalse();
    }
}
