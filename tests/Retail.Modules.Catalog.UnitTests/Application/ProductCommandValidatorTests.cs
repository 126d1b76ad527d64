using Retail.Modules.Catalog.Application.Products.CreateProduct;
using Retail.Modules.Catalog.Application.Products.UpdateProduct;

namespace Retail.Modules.Catalog.UnitTests.Application;

public sealed class CreateProductCommandValidatorTests
{
    private static readonly CreateProductCommand Valid =
        new("BK-001", "Clean Code", "A book.", "books", 29.99m, 5, ["/img/clean-code.svg", "https://cdn.example.com/cc.png"]);

    /// <summary>Named mutations of a valid command (names, so every theory row is its own test case).</summary>
    private static readonly Dictionary<string, CreateProductCommand> Invalid = new()
    {
        ["empty sku"] = Valid with { Sku = "" },
        ["sku with a space"] = Valid with { Sku = "BK 001" },
        ["sku with a slash"] = Valid with { Sku = "BK/001" },
        ["sku of 41 characters"] = Valid with { Sku = new string('A', 41) },
        ["empty name"] = Valid with { Name = "" },
        ["name of 201 characters"] = Valid with { Name = new string('n', 201) },
        ["description of 4001 characters"] = Valid with { Description = new string('d', 4001) },
        ["missing category"] = Valid with { Category = "" },
        ["category of 101 characters"] = Valid with { Category = new string('c', 101) },
        ["price -1"] = Valid with { Price = -1m },
        ["price -0.01"] = Valid with { Price = -0.01m },
        ["price 1,000,000.01"] = Valid with { Price = 1_000_000.01m },
        ["price with 3 decimals 1.005"] = Valid with { Price = 1.005m },
        ["initial stock -1"] = Valid with { InitialStock = -1 },
        ["initial stock 1,000,001"] = Valid with { InitialStock = 1_000_001 },
        ["javascript image url"] = Valid with { ImageUrls = ["javascript:alert(1)"] },
        ["protocol-relative image url"] = Valid with { ImageUrls = ["//evil.example.com/x.png"] },
        ["11 images"] = Valid with { ImageUrls = [.. Enumerable.Range(1, 11).Select(i => $"/img/{i}.svg")] },
    };

    public static TheoryData<string, string> InvalidCases => new()
    {
        { "empty sku", "Sku" },
        { "sku with a space", "Sku" },
        { "sku with a slash", "Sku" },
        { "sku of 41 characters", "Sku" },
        { "empty name", "Name" },
        { "name of 201 characters", "Name" },
        { "description of 4001 characters", "Description" },
        { "missing category", "Category" },
        { "category of 101 characters", "Category" },
        { "price -1", "Price" },
        { "price -0.01", "Price" },
        { "price 1,000,000.01", "Price" },
        { "price with 3 decimals 1.005", "Price" },
        { "initial stock -1", "InitialStock" },
        { "initial stock 1,000,001", "InitialStock" },
        { "javascript image url", "ImageUrls" },
        { "protocol-relative image url", "ImageUrls" },
        { "11 images", "ImageUrls" },
    };

    private readonly CreateProductCommandValidator _validator = new();

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Invalid_command_has_an_error_on_the_expected_property(string @case, string property)
    {
        _validator.ShouldFailOnlyOn(Invalid[@case], property);
    }

    [Fact]
    public void Every_invalid_case_has_an_expected_property()
    {
        InvalidCases.Select(row => (string)row[0]).ShouldBe(Invalid.Keys, ignoreOrder: true);
    }

    [Fact]
    public void A_valid_command_has_no_errors()
    {
        _validator.ShouldPass(Valid);
    }

    public static TheoryData<string> ValidCases => new() { "boundaries", "optional fields", "nothing but required" };

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Boundary_values_are_valid(string @case)
    {
        var command = @case switch
        {
            "boundaries" => Valid with
            {
                Sku = new string('a', 40),
                Name = new string('n', 200),
                Description = new string('d', 4000),
                Category = new string('c', 100),
                Price = 1_000_000m,
                InitialStock = 1_000_000,
                ImageUrls = [.. Enumerable.Range(1, 10).Select(i => $"/img/{i}.svg")],
            },
            "optional fields" => Valid with { Description = null, ImageUrls = null },
            "nothing but required" => Valid with { Price = 0m, InitialStock = 0, ImageUrls = [] },
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        _validator.ShouldPass(command);
    }

    [Fact]
    public void Trailing_zeros_do_not_count_as_decimals()
    {
        _validator.ShouldPass(Valid with { Price = 1.100m });
    }

    [Fact]
    public void A_missing_category_says_choose_a_category()
    {
        _validator.Validate(Valid with { Category = "" }).Errors.ShouldHaveSingleItem().ErrorMessage.ShouldBe("Choose a category.");
    }
}

public sealed class UpdateProductCommandValidatorTests
{
    private static readonly UpdateProductCommand Valid =
        new("bk-001", "Clean Code", null, "books", 29.99m, ["/img/clean-code.svg"], IsActive: true);

    private static readonly Dictionary<string, UpdateProductCommand> Invalid = new()
    {
        ["empty sku"] = Valid with { Sku = "" },
        ["empty name"] = Valid with { Name = "" },
        ["name of 201 characters"] = Valid with { Name = new string('n', 201) },
        ["missing category"] = Valid with { Category = "" },
        ["price -1"] = Valid with { Price = -1m },
        ["price 1,000,000.01"] = Valid with { Price = 1_000_000.01m },
        ["price with 3 decimals 1.005"] = Valid with { Price = 1.005m },
        ["javascript image url"] = Valid with { ImageUrls = ["javascript:alert(1)"] },
        ["11 images"] = Valid with { ImageUrls = [.. Enumerable.Range(1, 11).Select(i => $"/img/{i}.svg")] },
    };

    public static TheoryData<string, string> InvalidCases => new()
    {
        { "empty sku", "Sku" },
        { "empty name", "Name" },
        { "name of 201 characters", "Name" },
        { "missing category", "Category" },
        { "price -1", "Price" },
        { "price 1,000,000.01", "Price" },
        { "price with 3 decimals 1.005", "Price" },
        { "javascript image url", "ImageUrls" },
        { "11 images", "ImageUrls" },
    };

    private readonly UpdateProductCommandValidator _validator = new();

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Invalid_command_has_an_error_on_the_expected_property(string @case, string property)
    {
        _validator.ShouldFailOnlyOn(Invalid[@case], property);
    }

    [Fact]
    public void Every_invalid_case_has_an_expected_property()
    {
        InvalidCases.Select(row => (string)row[0]).ShouldBe(Invalid.Keys, ignoreOrder: true);
    }

    [Fact]
    public void A_valid_command_has_no_errors()
    {
        _validator.ShouldPass(Valid);
        _validator.ShouldPass(Valid with { Description = "", ImageUrls = null, IsActive = false, Price = 0m });
    }
}
