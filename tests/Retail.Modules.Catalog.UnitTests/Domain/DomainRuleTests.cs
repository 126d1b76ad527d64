using Retail.Modules.Catalog.Domain.Categories;
using Retail.Modules.Catalog.Domain.Products;

namespace Retail.Modules.Catalog.UnitTests.Domain;

public sealed class SkusTests
{
    [Theory]
    [InlineData("A")]
    [InlineData("9")]
    [InlineData("abc-123")]
    [InlineData("A.B_C-D")]
    [InlineData("  sku-1  ")]
    [InlineData("...")]
    [InlineData("0123456789012345678901234567890123456789")] // 40
    [InlineData("  0123456789012345678901234567890123456789  ")] // 40 after trimming
    public void Well_formed_skus(string sku)
    {
        Skus.IsWellFormed(sku).ShouldBeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("01234567890123456789012345678901234567890")] // 41
    [InlineData("AB C")]
    [InlineData("AB\tC")]
    [InlineData("AB/C")]
    [InlineData("AB#1")]
    [InlineData("AB%")]
    [InlineData("ÄBC")]
    [InlineData("ＡＢＣ")] // full-width letters are letters, but not ASCII
    [InlineData("AB<script>")]
    public void Malformed_skus(string? sku)
    {
        Skus.IsWellFormed(sku).ShouldBeFalse();
    }

    [Theory]
    [InlineData(" ab-1 ", "AB-1")]
    [InlineData("Mixed.Case_x", "MIXED.CASE_X")]
    [InlineData("", "")]
    public void Normalize_trims_and_upper_cases(string sku, string expected)
    {
        Skus.Normalize(sku).ShouldBe(expected);
    }

    [Fact]
    public void Normalize_treats_null_as_empty()
    {
        Skus.Normalize(null!).ShouldBe("");
    }

    [Fact]
    public void Normalize_is_culture_invariant()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            // In Turkish, "i".ToUpper() is "İ"; SKUs must not depend on the server's culture.
            CultureInfo.CurrentCulture = new CultureInfo("tr-TR");
            "i".ToUpper(CultureInfo.CurrentCulture).ShouldBe("İ", "precondition: this machine has Turkish casing rules");
            Skus.Normalize("sku-i").ShouldBe("SKU-I");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}

public sealed class CategoryTests
{
    [Theory]
    [InlineData("Home & Kitchen", "home-kitchen")]
    [InlineData("Books", "books")]
    [InlineData("  Toys, Games & More!  ", "toys-games-more")]
    [InlineData("Kids' Wear", "kids-wear")]
    [InlineData("4K TVs", "4k-tvs")]
    [InlineData("A  --  B", "a-b")]
    [InlineData("--Sale--", "sale")]
    [InlineData("Garden...", "garden")]
    [InlineData("Café", "caf")]
    [InlineData("!!!", "")]
    [InlineData("", "")]
    public void SlugOf_keeps_ascii_letters_and_digits_separated_by_single_hyphens(string name, string expected)
    {
        Category.SlugOf(name).ShouldBe(expected);
    }

    [Fact]
    public void SlugOf_null_is_empty()
    {
        Category.SlugOf(null!).ShouldBe("");
    }

    [Fact]
    public void Create_trims_the_name_and_derives_the_slug()
    {
        var category = Category.Create("  Home & Kitchen ");

        category.Name.ShouldBe("Home & Kitchen");
        category.Slug.ShouldBe("home-kitchen");
        category.Id.ShouldNotBe(Guid.Empty);
    }
}

public sealed class StockAdjustmentRulesTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(-1, true)]
    [InlineData(1_000_000, true)]
    [InlineData(-1_000_000, true)]
    [InlineData(1_000_001, false)]
    [InlineData(-1_000_001, false)]
    [InlineData(int.MaxValue, false)]
    [InlineData(int.MinValue, false)]
    public void IsValidDelta(int delta, bool valid)
    {
        StockAdjustmentRules.IsValidDelta(delta).ShouldBe(valid);
    }
}

public sealed class StockMovementTests
{
    [Fact]
    public void Record_keeps_the_audit_data_and_trims_the_reason()
    {
        var productId = Guid.NewGuid();
        var now = new DateTimeOffset(2026, 3, 14, 10, 0, 0, TimeSpan.Zero);

        var movement = StockMovement.Record(productId, "BK-1", -3, 7, "  damaged in transit ", "warehouse@shop.test", now);

        movement.Id.ShouldNotBe(Guid.Empty);
        movement.ProductId.ShouldBe(productId);
        movement.Sku.ShouldBe("BK-1");
        movement.Delta.ShouldBe(-3);
        movement.StockAfter.ShouldBe(7);
        movement.Reason.ShouldBe("damaged in transit");
        movement.Actor.ShouldBe("warehouse@shop.test");
        movement.OccurredAt.ShouldBe(now);
    }
}
