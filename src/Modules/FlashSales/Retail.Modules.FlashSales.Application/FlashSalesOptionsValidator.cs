using Retail.BuildingBlocks.Application.Settings;

namespace Retail.Modules.FlashSales.Application;

/// <summary>Checked when the app starts (a zero listing refresh would read the database on every listing request).</summary>
public sealed class FlashSalesOptionsValidator : SettingsValidator<FlashSalesOptions>
{
    protected override void Check(SettingsCheck check, FlashSalesOptions options)
    {
        var buckets = options.RemainingBuckets ?? [];
        check
            .Positive(options.ListingRefresh, "FlashSales:ListingRefresh")
            .AtLeast(options.PerUserSkuPermitLimit, 1, "FlashSales:PerUserSkuPermitLimit")
            .Positive(options.PerUserSkuWindow, "FlashSales:PerUserSkuWindow")
            .Require(options.SoldOutMemo >= TimeSpan.Zero, $"FlashSales:SoldOutMemo cannot be negative; it is {options.SoldOutMemo}.")
            .Require(buckets.All(b => b > 0) && buckets.Zip(buckets.Skip(1)).All(pair => pair.First < pair.Second),
                $"FlashSales:RemainingBuckets must be positive and ascending; they are [{string.Join(", ", buckets)}].");
    }
}
