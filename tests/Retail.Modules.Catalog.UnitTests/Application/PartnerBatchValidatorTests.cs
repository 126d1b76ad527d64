using Retail.Modules.Catalog.Application.Products.PartnerProducts;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.UnitTests.Application;

/// <summary>
/// A feed batch's rows are checked by a plain per-row check and explained by FluentValidation only when one fails: both
/// must agree on every rule, and the explanation names the row and field.
/// </summary>
public sealed class PartnerBatchValidatorTests
{
    private static readonly PartnerProductRow Valid =
        new("ACME-1", "Desk lamp", "Warm light.", "Lighting", 19.99m, 5, "Acme", "4006381333931", "https://img.example/lamp.jpg");

    private static readonly Dictionary<string, PartnerProductRow> Invalid = new()
    {
        ["empty sku"] = Valid with { Sku = "" },
        ["blank sku"] = Valid with { Sku = "   " },
        ["sku with a space"] = Valid with { Sku = "ACME 1" },
        ["sku with a slash"] = Valid with { Sku = "ACME/1" },
        ["sku of 41 characters"] = Valid with { Sku = new string('A', 41) },
        ["sku with a non-ASCII letter"] = Valid with { Sku = "ACMÉ-1" },
        ["empty name"] = Valid with { Name = "" },
        ["blank name"] = Valid with { Name = "  " },
        ["name of 201 characters"] = Valid with { Name = new string('n', 201) },
        ["description of 4001 characters"] = Valid with { Description = new string('d', 4001) },
        ["price -0.01"] = Valid with { Price = -0.01m },
        ["price 1,000,000.01"] = Valid with { Price = 1_000_000.01m },
        ["stock -1"] = Valid with { Stock = -1 },
        ["stock 1,000,001"] = Valid with { Stock = 1_000_001 },
        ["brand of 101 characters"] = Valid with { Brand = new string('b', 101) },
        ["gtin of 15 characters"] = Valid with { Gtin = new string('1', 15) },
        ["javascript image url"] = Valid with { ImageUrl = "javascript:alert(1)" },
        ["protocol-relative image url"] = Valid with { ImageUrl = "//evil.example.com/x.png" },
        ["empty image url"] = Valid with { ImageUrl = "" },
    };

    public static TheoryData<string, string> InvalidCases => new()
    {
        { "empty sku", "Sku" },
        { "blank sku", "Sku" },
        { "sku with a space", "Sku" },
        { "sku with a slash", "Sku" },
        { "sku of 41 characters", "Sku" },
        { "sku with a non-ASCII letter", "Sku" },
        { "empty name", "Name" },
        { "blank name", "Name" },
        { "name of 201 characters", "Name" },
        { "description of 4001 characters", "Description" },
        { "price -0.01", "Price" },
        { "price 1,000,000.01", "Price" },
        { "stock -1", "Stock" },
        { "stock 1,000,001", "Stock" },
        { "brand of 101 characters", "Brand" },
        { "gtin of 15 characters", "Gtin" },
        { "javascript image url", "ImageUrl" },
        { "protocol-relative image url", "ImageUrl" },
        { "empty image url", "ImageUrl" },
    };

    public static TheoryData<string> ValidCases => new()
    {
        "as given", "lower-case sku", "sku padded with spaces", "sku of 40 characters", "no optional fields", "price 0 and stock 0",
        "the largest price and stock", "site-path image", "sku with the long s that upper-cases to S",
    };

    private static PartnerProductRow ValidCase(string name) => name switch
    {
        "as given" => Valid,
        "lower-case sku" => Valid with { Sku = "acme-1.b_c" },
        "sku padded with spaces" => Valid with { Sku = "  ACME-1  " },
        "sku of 40 characters" => Valid with { Sku = new string('A', 40) },
        "no optional fields" => Valid with { Description = null, Category = null, Brand = null, Gtin = null, ImageUrl = null },
        "price 0 and stock 0" => Valid with { Price = 0m, Stock = 0 },
        "the largest price and stock" => Valid with { Price = 1_000_000m, Stock = 1_000_000 },
        "site-path image" => Valid with { ImageUrl = "/img/products/lamp.svg" },
        "sku with the long s that upper-cases to S" => Valid with { Sku = "\u017Fku-1" },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void An_invalid_row_is_refused_by_the_plain_check_and_explained_under_its_index_and_field(string mutation, string field)
    {
        var row = Invalid[mutation];
        var command = new UpsertPartnerProducts("partner-1", [Valid with { Sku = "OK-1" }, row, Valid with { Sku = "OK-2" }], "job:1");

        PartnerRowValidator.IsValid(row).ShouldBeFalse();
        new PartnerRowValidator().Validate(row).IsValid.ShouldBeFalse();
        new UpsertPartnerProductsValidator().ShouldFailOnlyOn(command, $"Rows[1].{field}");
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void A_valid_row_passes_both_the_plain_check_and_the_rules(string name)
    {
        var row = ValidCase(name);

        PartnerRowValidator.IsValid(row).ShouldBeTrue();
        new PartnerRowValidator().ShouldPass(row);
        new UpsertPartnerProductsValidator().ShouldPass(new UpsertPartnerProducts("partner-1", [row]));
    }

    [Fact]
    public void The_command_shape_is_still_checked()
    {
        var validator = new UpsertPartnerProductsValidator();

        validator.ShouldFailOnlyOn(new UpsertPartnerProducts("", [Valid]), "PartnerId");
        validator.ShouldFailOnlyOn(new UpsertPartnerProducts("partner-1", []), "Rows");
        validator.ShouldFailOnlyOn(new UpsertPartnerProducts("partner-1", [Valid], new string('k', 101)), "BatchKey");
        validator.ShouldFailOnlyOn(new UpsertPartnerProducts("partner-1", [.. Enumerable.Range(1, 1001).Select(i => Valid with { Sku = $"S-{i}" })]), "Rows");
    }

    [Fact]
    public void A_missing_row_is_refused()
    {
        var command = new UpsertPartnerProducts("partner-1", [Valid, null!]);

        new UpsertPartnerProductsValidator().ShouldFailOnlyOn(command, "Rows[1]");
    }

    [Theory]
    [InlineData("ACME-1")]
    [InlineData("acme-1")]
    [InlineData("  Acme-1 ")]
    [InlineData("")]
    [InlineData("\u017Fku")]
    [InlineData("\u0131tem")]
    [InlineData("caf\u00e9")]
    [InlineData("\U00010428x")]
    public void Normalize_gives_the_trimmed_upper_case_sku(string sku)
    {
        Skus.Normalize(sku).ShouldBe(sku.Trim().ToUpperInvariant());
        Skus.IsWellFormed(sku).ShouldBe(sku.Trim().ToUpperInvariant() is { Length: > 0 and <= Skus.MaxLength } value
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
    }

    [Fact]
    public void An_already_normalized_sku_is_returned_as_is()
    {
        var sku = "ACME-" + 42;

        Skus.Normalize(sku).ShouldBeSameAs(sku);
    }
}
