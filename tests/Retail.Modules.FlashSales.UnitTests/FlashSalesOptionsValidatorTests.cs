using Retail.Modules.FlashSales.Application;

namespace Retail.Modules.FlashSales.UnitTests;

public sealed class FlashSalesOptionsValidatorTests
{
    private static readonly FlashSalesOptionsValidator Validator = new();

    [Fact]
    public void The_defaults_and_no_sold_out_memo_are_valid()
    {
        Validator.Validate(null, new FlashSalesOptions()).Succeeded.ShouldBeTrue();
        Validator.Validate(null, new FlashSalesOptions { SoldOutMemo = TimeSpan.Zero, RemainingBuckets = [] }).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void A_listing_read_on_every_request_a_zero_limit_and_unordered_buckets_are_refused()
    {
        var result = Validator.Validate(null, new FlashSalesOptions
        {
            ListingRefresh = TimeSpan.Zero,
            PerUserSkuPermitLimit = 0,
            RemainingBuckets = [10, 5],
        });

        result.Failures.ShouldBe(
        [
            "FlashSales:ListingRefresh must be a positive duration; it is 00:00:00.",
            "FlashSales:PerUserSkuPermitLimit must be at least 1; it is 0.",
            "FlashSales:RemainingBuckets must be positive and ascending; they are [10, 5].",
        ]);
    }
}
