using Retail.BuildingBlocks.Domain;
using Retail.Modules.Ordering.Domain.Carts;

namespace Retail.Modules.Ordering.UnitTests;

public sealed class CartTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Adding_the_same_sku_twice_merges_into_one_line_case_insensitively()
    {
        var cart = Cart.For("c1", Now);

        cart.Add("bk-1", 2, Now);
        cart.Add(" BK-1 ", 3, Now).ShouldBe(5);

        cart.Lines.Count.ShouldBe(1);
        cart.Lines[0].Sku.ShouldBe("BK-1");
        cart.Lines[0].Quantity.ShouldBe(5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100)]
    public void Quantities_outside_1_to_99_break_the_rule(int quantity)
    {
        var cart = Cart.For("c1", Now);

        var ex = Should.Throw<BusinessRuleValidationException>(() => cart.Add("BK-1", quantity, Now));

        ex.RuleName.ShouldBe(nameof(CartLineQuantityMustBeInRangeRule));
        cart.Lines.ShouldBeEmpty();
    }

    [Fact]
    public void A_line_cannot_grow_past_99()
    {
        var cart = Cart.For("c1", Now);
        cart.Add("BK-1", 60, Now);

        Should.Throw<BusinessRuleValidationException>(() => cart.Add("BK-1", 40, Now)).RuleName.ShouldBe(nameof(CartLineQuantityMustBeInRangeRule));
        cart.Lines[0].Quantity.ShouldBe(60);
    }

    [Fact]
    public void A_cart_holds_at_most_50_lines()
    {
        var cart = Cart.For("c1", Now);
        for (var i = 0; i < Cart.MaxLines; i++)
        {
            cart.Add($"SKU-{i}", 1, Now);
        }

        Should.Throw<BusinessRuleValidationException>(() => cart.Add("SKU-X", 1, Now)).RuleName.ShouldBe(nameof(CartCannotHaveMoreThanMaxLinesRule));
        cart.Lines.Count.ShouldBe(Cart.MaxLines);
    }

    [Fact]
    public void Set_quantity_and_remove_change_only_the_named_line()
    {
        var cart = Cart.For("c1", Now);
        cart.Add("A", 1, Now);
        cart.Add("B", 1, Now);

        cart.SetQuantity("a", 7, Now);
        cart.Remove("b", Now).ShouldBeTrue();
        cart.Remove("b", Now).ShouldBeFalse();

        cart.Lines.Single().Quantity.ShouldBe(7);
        Should.Throw<BusinessRuleValidationException>(() => cart.SetQuantity("B", 1, Now));
    }
}
