using Retail.Modules.Partners.Application.Feeds.Pipeline;

namespace Retail.Modules.Partners.UnitTests;

public sealed class FirstLineBySkuTests
{
    [Fact]
    public void A_sku_seen_again_reports_the_line_it_first_appeared_on()
    {
        var seen = new FirstLineBySku();

        seen.TryAdd("SKU-1", 2, out var first).ShouldBeTrue();
        first.ShouldBe(2);
        seen.TryAdd("SKU-2", 3, out _).ShouldBeTrue();
        seen.TryAdd("SKU-1", 9, out var again).ShouldBeFalse();

        again.ShouldBe(2);
        (seen.LineOf("SKU-1"), seen.LineOf("SKU-2"), seen.LineOf("SKU-3")).ShouldBe((2, 3, 0));
        seen.Count.ShouldBe(2);
    }

    [Fact]
    public void Growing_far_past_the_first_capacity_keeps_every_sku_and_its_line()
    {
        var seen = new FirstLineBySku();
        for (var i = 1; i <= 100_000; i++)
        {
            seen.TryAdd($"BULK-{i}", i + 1, out _).ShouldBeTrue();
        }

        seen.Count.ShouldBe(100_000);
        for (var i = 1; i <= 100_000; i += 997)
        {
            seen.LineOf($"BULK-{i}").ShouldBe(i + 1);
            seen.TryAdd($"BULK-{i}", 1, out var first).ShouldBeFalse();
            first.ShouldBe(i + 1);
        }

        seen.LineOf("BULK-100001").ShouldBe(0);
    }

    [Fact]
    public void Skus_differing_only_in_case_are_different_skus()
    {
        // The mapper normalizes SKUs before they get here; the index itself compares exactly.
        var seen = new FirstLineBySku();
        seen.TryAdd("abc", 1, out _).ShouldBeTrue();
        seen.TryAdd("ABC", 2, out _).ShouldBeTrue();
    }

    [Fact]
    public void Line_numbers_start_at_one()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new FirstLineBySku().TryAdd("SKU", 0, out _));
    }
}
