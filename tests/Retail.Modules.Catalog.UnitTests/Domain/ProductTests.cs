using Microsoft.Extensions.Time.Testing;
using Retail.BuildingBlocks.Domain;
using Retail.Modules.Catalog.Domain.Products;

namespace Retail.Modules.Catalog.UnitTests.Domain;

public sealed class ProductTests
{
    private static readonly Guid Books = Guid.Parse("6f2d7a3e-0000-4000-8000-000000000001");
    private static readonly Guid Toys = Guid.Parse("6f2d7a3e-0000-4000-8000-000000000002");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.Zero));

    private static ProductDetails Details(
        string name = "  Clean Code  ",
        string description = "  A book.  ",
        Guid? categoryId = null,
        decimal price = 29.99m,
        IReadOnlyList<string>? imageUrls = null,
        bool isActive = true) =>
        new(name, description, categoryId ?? Books, price, imageUrls ?? ["/img/clean-code.svg"], isActive);

    private Product CreateValid(string sku = "bk-001", int initialStock = 5) => Product.Create(Details(), sku, initialStock, _time.GetUtcNow());

    [Fact]
    public void Product_ids_are_time_ordered_so_new_products_append_to_the_key_index()
    {
        var first = CreateValid("bk-001");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var second = CreateValid("bk-002");

        first.Id.Version.ShouldBe(7);
        string.CompareOrdinal(first.Id.ToString().ToUpperInvariant(), second.Id.ToString().ToUpperInvariant()).ShouldBeLessThan(0);
        first.Id.ShouldNotBe(CreateValid("bk-003").Id);
    }

    [Fact]
    public void Create_normalizes_the_sku_and_trims_the_text_fields()
    {
        var product = Product.Create(Details(), "  bk-001.a_b  ", 5, _time.GetUtcNow());

        product.Sku.ShouldBe("BK-001.A_B");
        product.Name.ShouldBe("Clean Code");
        product.Description.ShouldBe("A book.");
        product.CategoryId.ShouldBe(Books);
        product.Stock.ShouldBe(5);
        product.IsActive.ShouldBeTrue();
        product.ImageUrls.ShouldBe(["/img/clean-code.svg"]);
        product.CreatedAt.ShouldBe(_time.GetUtcNow());
        product.UpdatedAt.ShouldBe(_time.GetUtcNow());
        product.Id.ShouldNotBe(Guid.Empty);
    }

    [Fact]
    public void Each_product_gets_its_own_id()
    {
        CreateValid("A-1").Id.ShouldNotBe(CreateValid("A-2").Id);
    }

    [Theory]
    [InlineData("9.999", "10.00")]
    [InlineData("1.005", "1.01")]
    [InlineData("2.345", "2.35")]
    [InlineData("2.344", "2.34")]
    [InlineData("0.004", "0.00")]
    [InlineData("12.5", "12.50")]
    public void Create_rounds_the_price_to_two_decimals_away_from_zero(string given, string expected)
    {
        var product = Product.Create(Details(price: decimal.Parse(given, CultureInfo.InvariantCulture)), "P-1", 0, _time.GetUtcNow());

        product.Price.ShouldBe(decimal.Parse(expected, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Create_copies_the_image_list()
    {
        var urls = new List<string> { "/img/a.svg" };

        var product = Product.Create(Details(imageUrls: urls), "P-1", 0, _time.GetUtcNow());
        urls.Add("/img/b.svg");

        product.ImageUrls.ShouldBe(["/img/a.svg"]);
    }

    [Fact]
    public void Create_raises_one_ProductUpserted_event_with_the_normalized_data()
    {
        var product = Product.Create(Details(price: 10.005m, isActive: false), " bk-9 ", 7, _time.GetUtcNow());

        var upserted = product.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<ProductUpsertedDomainEvent>();
        upserted.ShouldBe(new ProductUpsertedDomainEvent(product.Id, "BK-9", "Clean Code", Books, 10.01m, 7, false, _time.GetUtcNow()));
    }

    [Fact]
    public void ClearDomainEvents_clears_the_raised_events()
    {
        var product = CreateValid();
        product.DomainEvents.ShouldNotBeEmpty();

        product.ClearDomainEvents();

        product.DomainEvents.ShouldBeEmpty();
    }

    [Fact]
    public void Update_changes_the_details_and_raises_an_event_with_the_new_data()
    {
        var product = CreateValid("bk-001", initialStock: 5);
        var createdAt = product.CreatedAt;
        product.ClearDomainEvents();
        _time.Advance(TimeSpan.FromMinutes(5));

        product.Update(new ProductDetails(" Refactoring ", " Second edition ", Toys, 45.555m, ["https://cdn.example.com/r.png", "/img/r.svg"], false), _time.GetUtcNow());

        product.Name.ShouldBe("Refactoring");
        product.Description.ShouldBe("Second edition");
        product.CategoryId.ShouldBe(Toys);
        product.Price.ShouldBe(45.56m);
        product.ImageUrls.ShouldBe(["https://cdn.example.com/r.png", "/img/r.svg"]);
        product.IsActive.ShouldBeFalse();
        product.UpdatedAt.ShouldBe(_time.GetUtcNow());
        product.CreatedAt.ShouldBe(createdAt);
        product.Sku.ShouldBe("BK-001");
        product.Stock.ShouldBe(5, "details never change stock");
        product.DomainEvents.ShouldHaveSingleItem().ShouldBe(
            new ProductUpsertedDomainEvent(product.Id, "BK-001", "Refactoring", Toys, 45.56m, 5, false, _time.GetUtcNow()));
    }

    public static TheoryData<string, string> BadSkus => new()
    {
        { "AB C", nameof(SkuMustBeWellFormedRule) },
        { "AB/C", nameof(SkuMustBeWellFormedRule) },
        { "AB#1", nameof(SkuMustBeWellFormedRule) },
        { "", nameof(SkuMustBeWellFormedRule) },
        { "   ", nameof(SkuMustBeWellFormedRule) },
        { new string('A', 41), nameof(SkuMustBeWellFormedRule) },
    };

    [Theory]
    [MemberData(nameof(BadSkus))]
    public void Create_with_a_malformed_sku_breaks_the_sku_rule(string sku, string rule)
    {
        var thrown = Should.Throw<BusinessRuleValidationException>(() => Product.Create(Details(), sku, 0, _time.GetUtcNow()));

        thrown.RuleName.ShouldBe(rule);
        thrown.BrokenRule.ShouldBeOfType<SkuMustBeWellFormedRule>();
        thrown.Message.ShouldBe(thrown.BrokenRule.Message);
    }

    [Fact]
    public void A_sku_of_exactly_40_characters_is_accepted()
    {
        CreateValid(new string('a', 40)).Sku.ShouldBe(new string('A', 40));
    }

    [Fact]
    public void A_negative_price_breaks_the_price_rule()
    {
        var thrown = Should.Throw<BusinessRuleValidationException>(() => Product.Create(Details(price: -0.01m), "P-1", 0, _time.GetUtcNow()));

        thrown.RuleName.ShouldBe(nameof(PriceMustBeNonNegativeRule));
    }

    [Fact]
    public void A_price_of_zero_is_accepted()
    {
        Product.Create(Details(price: 0m), "P-1", 0, _time.GetUtcNow()).Price.ShouldBe(0m);
    }

    [Fact]
    public void A_negative_initial_stock_breaks_the_stock_rule()
    {
        var thrown = Should.Throw<BusinessRuleValidationException>(() => CreateValid(initialStock: -1));

        thrown.RuleName.ShouldBe(nameof(StockCannotBeNegativeRule));
    }

    public static TheoryData<string[]> BadImageLists => new()
    {
        { Enumerable.Range(1, 11).Select(i => $"/img/{i}.svg").ToArray() },
        { ["javascript:alert(1)"] },
        { ["JAVASCRIPT:alert(1)"] },
        { ["//evil.example.com/x.png"] },
        { ["/img/ok.svg", "//evil.example.com/x.png"] },
        { ["data:image/svg+xml;base64,PHN2Zz4="] },
        { ["ftp://files.example.com/x.png"] },
        { ["img/relative.svg"] },
        { [""] },
        { ["/" + new string('a', 500)] },
    };

    [Theory]
    [MemberData(nameof(BadImageLists))]
    public void Bad_image_lists_break_the_image_rule(string[] imageUrls)
    {
        var thrown = Should.Throw<BusinessRuleValidationException>(() => Product.Create(Details(imageUrls: imageUrls), "P-1", 0, _time.GetUtcNow()));

        thrown.RuleName.ShouldBe(nameof(ImagesMustBeAbsoluteHttpUrlsRule));
    }

    public static TheoryData<string[]> GoodImageLists => new()
    {
        { ["/img/x.svg"] },
        { ["https://cdn.example.com/products/x.png?v=2"] },
        { ["http://cdn.example.com/x.png"] },
        { ["/" + new string('a', 499)] },
        { Enumerable.Range(1, 10).Select(i => $"/img/{i}.svg").ToArray() },
        { [] },
    };

    [Theory]
    [MemberData(nameof(GoodImageLists))]
    public void Site_paths_and_http_urls_up_to_ten_images_are_accepted(string[] imageUrls)
    {
        Product.Create(Details(imageUrls: imageUrls), "P-1", 0, _time.GetUtcNow()).ImageUrls.ShouldBe(imageUrls);
    }

    [Fact]
    public void A_failed_update_changes_nothing_and_raises_nothing()
    {
        var product = CreateValid();
        product.ClearDomainEvents();

        Should.Throw<BusinessRuleValidationException>(() => product.Update(Details(name: "Other", price: -1m), _time.GetUtcNow()))
            .RuleName.ShouldBe(nameof(PriceMustBeNonNegativeRule));
        Should.Throw<BusinessRuleValidationException>(() => product.Update(Details(name: "Other", imageUrls: ["javascript:x"]), _time.GetUtcNow()))
            .RuleName.ShouldBe(nameof(ImagesMustBeAbsoluteHttpUrlsRule));

        product.Name.ShouldBe("Clean Code");
        product.Price.ShouldBe(29.99m);
        product.DomainEvents.ShouldBeEmpty();
    }

    [Fact]
    public void Products_are_equal_by_id_only()
    {
        var product = CreateValid();
        var other = CreateValid();

        product.Equals(product).ShouldBeTrue();
        product.Equals(other).ShouldBeFalse("same fields, different identity");
        product.GetHashCode().ShouldBe(product.Id.GetHashCode());
    }
}
