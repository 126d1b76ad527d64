using Retail.BuildingBlocks.Domain;
using Retail.Modules.FlashSales.Application.Listing;
using Retail.Modules.FlashSales.Domain.Sales;

namespace Retail.Modules.FlashSales.UnitTests;

public sealed class FlashSaleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddHours(2);

    private static FlashSaleItemSpec Item(string sku = "EL-0001", decimal regular = 100m, FlashPrice? price = null, int allocation = 10, int cap = 2) =>
        new(sku, "Product " + sku, regular, price ?? FlashPrice.Percent(20), allocation, cap);

    private static FlashSale Sale(params FlashSaleItemSpec[] items) =>
        FlashSale.Create("Black Friday", Start, End, items.Length == 0 ? [Item()] : items, Start.AddDays(-1));

    [Fact]
    public void State_is_upcoming_before_the_start_live_from_the_exact_start_and_ended_from_the_exact_end()
    {
        var sale = Sale();
        sale.StateAt(Start.AddTicks(-1)).ShouldBe(FlashSaleState.Upcoming);
        sale.StateAt(Start).ShouldBe(FlashSaleState.Live);
        sale.StateAt(End.AddTicks(-1)).ShouldBe(FlashSaleState.Live);
        sale.StateAt(End).ShouldBe(FlashSaleState.Ended);
    }

    [Fact]
    public void The_purchase_window_includes_the_start_and_excludes_the_end()
    {
        FlashSale.IsInWindow(Start, End, Start.AddTicks(-1)).ShouldBeFalse();
        FlashSale.IsInWindow(Start, End, Start).ShouldBeTrue();
        FlashSale.IsInWindow(Start, End, End.AddTicks(-1)).ShouldBeTrue();
        FlashSale.IsInWindow(Start, End, End).ShouldBeFalse();
    }

    [Fact]
    public void A_live_sale_with_nothing_remaining_is_sold_out_but_an_ended_one_stays_ended()
    {
        FlashSale.StateOf(Start, End, remainingUnits: 0, Start.AddMinutes(5)).ShouldBe(FlashSaleState.SoldOut);
        FlashSale.StateOf(Start, End, remainingUnits: 0, End).ShouldBe(FlashSaleState.Ended);
        FlashSale.StateOf(Start, End, remainingUnits: 0, Start.AddMinutes(-5)).ShouldBe(FlashSaleState.Upcoming);
    }

    [Theory]
    [InlineData(100, 20, 80)]
    [InlineData(19.99, 15, 16.99)] // 16.9915 rounds to cents
    [InlineData(0.05, 50, 0.03)] // half away from zero
    public void Percent_off_is_taken_from_the_regular_price_and_rounded_to_cents(decimal regular, int percent, decimal expected) =>
        FlashPrice.Percent(percent).Apply(regular).ShouldBe(expected);

    [Fact]
    public void A_fixed_flash_price_is_never_above_the_regular_price()
    {
        FlashPrice.Fixed(15m).Apply(20m).ShouldBe(15m);
        FlashPrice.Fixed(25m).Apply(20m).ShouldBe(20m);
    }

    [Fact]
    public void The_window_must_end_after_it_starts_and_last_at_most_fourteen_days()
    {
        Should.Throw<BusinessRuleValidationException>(() => FlashSale.Create("x", Start, Start, [Item()], Start))
            .BrokenRule.ShouldBeOfType<SaleWindowMustBeValidRule>();
        Should.Throw<BusinessRuleValidationException>(() => FlashSale.Create("x", Start, Start.AddDays(14).AddTicks(1), [Item()], Start))
            .BrokenRule.ShouldBeOfType<SaleWindowMustBeValidRule>();
        FlashSale.Create("x", Start, Start.AddDays(14), [Item()], Start).EndsAt.ShouldBe(Start.AddDays(14));
    }

    [Fact]
    public void A_sale_offers_each_product_once_with_a_valid_price_rule_allocation_and_cap()
    {
        Should.Throw<BusinessRuleValidationException>(() => Sale(Item("A-1"), Item("a-1 "))).BrokenRule.ShouldBeOfType<SaleMustOfferDistinctProductsRule>();
        Should.Throw<BusinessRuleValidationException>(() => Sale(Item(price: FlashPrice.Percent(0)))).BrokenRule.ShouldBeOfType<FlashPriceRuleMustBeValidRule>();
        Should.Throw<BusinessRuleValidationException>(() => Sale(Item(price: FlashPrice.Percent(100)))).BrokenRule.ShouldBeOfType<FlashPriceRuleMustBeValidRule>();
        Should.Throw<BusinessRuleValidationException>(() => Sale(Item(price: FlashPrice.Fixed(-1m)))).BrokenRule.ShouldBeOfType<FlashPriceRuleMustBeValidRule>();
        Should.Throw<BusinessRuleValidationException>(() => Sale(Item(allocation: 0))).BrokenRule.ShouldBeOfType<AllocationAndCapMustBeValidRule>();
        Should.Throw<BusinessRuleValidationException>(() => Sale(Item(allocation: 5, cap: 6))).BrokenRule.ShouldBeOfType<AllocationAndCapMustBeValidRule>();
        Should.Throw<BusinessRuleValidationException>(() => Sale(Item(cap: 0))).BrokenRule.ShouldBeOfType<AllocationAndCapMustBeValidRule>();
        Should.Throw<BusinessRuleValidationException>(() => FlashSale.Create("  ", Start, End, [Item()], Start)).BrokenRule.ShouldBeOfType<SaleNameMustBePresentRule>();
    }

    [Fact]
    public void Items_are_stored_with_normalized_skus_and_the_sale_announces_itself()
    {
        var sale = Sale(Item(" el-0009 "));
        sale.Items.Single().Sku.ShouldBe("EL-0009");
        sale.DomainEvents.OfType<FlashSaleChangedDomainEvent>().Single().SaleId.ShouldBe(sale.Id);
    }

    [Fact]
    public void Updating_keeps_existing_items_and_replaces_the_offer()
    {
        var sale = Sale(Item("A-1"), Item("B-2"));
        var keptId = sale.Items.Single(i => i.Sku == "A-1").Id;
        sale.Update("Renamed", Start, End.AddHours(1), [Item("A-1", allocation: 20, cap: 3), Item("C-3")], Start);
        sale.Name.ShouldBe("Renamed");
        sale.Items.Select(i => i.Sku).Order().ShouldBe(["A-1", "C-3"]);
        var kept = sale.Items.Single(i => i.Sku == "A-1");
        kept.Id.ShouldBe(keptId);
        kept.Allocation.ShouldBe(20);
        kept.PerCustomerCap.ShouldBe(3);
    }

    [Fact]
    public void Ending_now_moves_the_end_to_now_and_never_before_the_start()
    {
        var sale = Sale();
        sale.EndNow(Start.AddMinutes(30));
        sale.EndsAt.ShouldBe(Start.AddMinutes(30));
        sale.StateAt(Start.AddMinutes(30)).ShouldBe(FlashSaleState.Ended);

        var upcoming = Sale();
        upcoming.EndNow(Start.AddHours(-3));
        upcoming.EndsAt.ShouldBe(Start);
        upcoming.StateAt(Start).ShouldBe(FlashSaleState.Ended);
    }

    [Fact]
    public void A_claim_is_released_once_and_never_after_it_was_paid()
    {
        var claim = FlashClaim.Create(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "A-1", "u1", 2, 8m, Start);
        claim.Release(Start).ShouldBeTrue();
        claim.Release(Start).ShouldBeFalse();

        var paid = FlashClaim.Create(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "A-1", "u1", 2, 8m, Start);
        paid.MarkPaid(Start);
        paid.Release(Start).ShouldBeFalse();
        paid.IsOpen.ShouldBeFalse();
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(1, "Only 5 or fewer left")]
    [InlineData(5, "Only 5 or fewer left")]
    [InlineData(6, "Only 10 or fewer left")]
    [InlineData(50, "Only 50 or fewer left")]
    [InlineData(51, null)]
    public void Remaining_units_are_shown_in_buckets_never_exactly(int remaining, string? expected) =>
        GetFlashProductsQueryHandler.RemainingLabel(remaining, [5, 10, 25, 50]).ShouldBe(expected);

    [Theory]
    [InlineData(100, 80, 20)]
    [InlineData(19.99, 16.99, 15)]
    [InlineData(0, 0, 0)]
    public void Percent_off_shown_is_rounded_from_the_two_prices(decimal regular, decimal flash, int expected) =>
        GetFlashProductsQueryHandler.PercentOff(regular, flash).ShouldBe(expected);
}
