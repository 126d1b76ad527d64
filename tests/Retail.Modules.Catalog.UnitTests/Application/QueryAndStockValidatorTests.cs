using Retail.Modules.Catalog.Application.Products.AdjustStock;
using Retail.Modules.Catalog.Application.Products.FindUnknownSkus;
using Retail.Modules.Catalog.Application.Products.SearchProducts;

namespace Retail.Modules.Catalog.UnitTests.Application;

public sealed class AdjustStockCommandValidatorTests
{
    private static readonly AdjustStockCommand Valid = new("BK-001", -3, "damaged in transit");

    private readonly AdjustStockCommandValidator _validator = new();

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_001)]
    [InlineData(-1_000_001)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void An_out_of_range_delta_is_an_error_on_Delta(int delta)
    {
        _validator.ShouldFailOnlyOn(Valid with { Delta = delta }, "Delta");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(1_000_000)]
    [InlineData(-1_000_000)]
    public void A_non_zero_delta_within_a_million_is_valid(int delta)
    {
        _validator.ShouldPass(Valid with { Delta = delta });
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_reason_is_an_error_on_Reason(string reason)
    {
        _validator.ShouldFailOnlyOn(Valid with { Reason = reason }, "Reason");
        _validator.Validate(Valid with { Reason = reason }).Errors.ShouldHaveSingleItem().ErrorMessage.ShouldBe("Say why the stock changes.");
    }

    [Fact]
    public void A_reason_of_201_characters_is_an_error_on_Reason()
    {
        _validator.ShouldFailOnlyOn(Valid with { Reason = new string('r', 201) }, "Reason");
    }

    [Fact]
    public void A_reason_of_200_characters_is_valid()
    {
        _validator.ShouldPass(Valid with { Reason = new string('r', 200) });
    }

    [Fact]
    public void An_empty_sku_is_an_error_on_Sku()
    {
        _validator.ShouldFailOnlyOn(Valid with { Sku = "" }, "Sku");
    }

    [Fact]
    public void Delta_and_reason_errors_are_reported_together()
    {
        var result = _validator.Validate(Valid with { Delta = 0, Reason = "" });

        result.Errors.Select(e => e.PropertyName).ShouldBe(["Delta", "Reason"], ignoreOrder: true);
    }
}

public sealed class SearchProductsQueryValidatorTests
{
    private static readonly SearchProductsQuery Valid = new("mug", "home-kitchen");

    private readonly SearchProductsQueryValidator _validator = new();

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100_001)]
    public void An_out_of_range_page_is_an_error_on_Page(int page)
    {
        _validator.ShouldFailOnlyOn(Valid with { Page = page }, "Page");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void An_out_of_range_page_size_is_an_error_on_PageSize(int pageSize)
    {
        _validator.ShouldFailOnlyOn(Valid with { PageSize = pageSize }, "PageSize");
    }

    [Fact]
    public void A_search_of_101_characters_is_an_error_on_Search()
    {
        _validator.ShouldFailOnlyOn(Valid with { Search = new string('s', 101) }, "Search");
    }

    [Fact]
    public void A_category_of_101_characters_is_an_error_on_Category()
    {
        _validator.ShouldFailOnlyOn(Valid with { Category = new string('c', 101) }, "Category");
    }

    [Fact]
    public void Defaults_and_boundaries_are_valid()
    {
        _validator.ShouldPass(new SearchProductsQuery(null, null));
        _validator.ShouldPass(Valid with { Page = 1, PageSize = 1 });
        _validator.ShouldPass(Valid with { Page = 100_000, PageSize = 100, Search = new string('s', 100), Category = new string('c', 100) });
    }

    [Fact]
    public void The_default_page_is_the_first_of_24()
    {
        var query = new SearchProductsQuery(null, null);

        query.Page.ShouldBe(1);
        query.PageSize.ShouldBe(24);
    }
}

public sealed class SearchProductsForAdminQueryValidatorTests
{
    private readonly SearchProductsForAdminQueryValidator _validator = new();

    [Fact]
    public void Paging_and_search_length_are_checked()
    {
        _validator.ShouldFailOnlyOn(new SearchProductsForAdminQuery(null, Page: 0), "Page");
        _validator.ShouldFailOnlyOn(new SearchProductsForAdminQuery(null, PageSize: 101), "PageSize");
        _validator.ShouldFailOnlyOn(new SearchProductsForAdminQuery(new string('s', 101)), "Search");
        _validator.ShouldPass(new SearchProductsForAdminQuery(null));
    }
}

public sealed class FindUnknownSkusValidatorTests
{
    private readonly FindUnknownSkusValidator _validator = new();

    [Fact]
    public void Up_to_the_maximum_number_of_skus_passes() =>
        _validator.ShouldPass(new IntegrationEvents.FindUnknownSkus([.. Enumerable.Range(0, FindUnknownSkusValidator.MaxSkus).Select(i => $"SKU-{i}")]));

    [Fact]
    public void One_sku_over_the_maximum_is_an_error_on_Skus() =>
        _validator.ShouldFailOnlyOn(new IntegrationEvents.FindUnknownSkus([.. Enumerable.Range(0, FindUnknownSkusValidator.MaxSkus + 1).Select(i => $"SKU-{i}")]), "Skus");

    [Fact]
    public void No_list_is_an_error_on_Skus() =>
        _validator.ShouldFailOnlyOn(new IntegrationEvents.FindUnknownSkus(null!), "Skus");
}
