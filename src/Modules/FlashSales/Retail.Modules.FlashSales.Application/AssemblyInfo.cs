using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.FlashSales.Application.FlashSalesModule.Name)]

namespace Retail.Modules.FlashSales.Application;

/// <summary>The FlashSales module's name: its schema on SQL Server and table prefix on SQLite.</summary>
public static class FlashSalesModule
{
    public const string Name = "flashsales";

    /// <summary>HybridCache tag of the cached listing; removed when an admin changes a sale.</summary>
    public const string CacheTag = "flash";
}

/// <summary>Configuration section <c>FlashSales</c>.</summary>
public sealed class FlashSalesOptions
{
    /// <summary>SPEC P1: the listing is read from the database at most once per this period per instance.</summary>
    public TimeSpan ListingRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>SPEC A1's tighter limit during a flash sale: checkout attempts per customer and SKU within the window.</summary>
    public int PerUserSkuPermitLimit { get; set; } = 3;

    public TimeSpan PerUserSkuWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an instance answers "no longer available" for a sold-out item without asking the database.</summary>
    public TimeSpan SoldOutMemo { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>"Only N or fewer left" shows the smallest bucket at or above the remaining units; above the largest it says nothing.</summary>
    public IReadOnlyList<int> RemainingBuckets { get; set; } = [5, 10, 25, 50];
}
