using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Returns.Application.ReturnsModule.Name)]

namespace Retail.Modules.Returns.Application;

/// <summary>The Returns module's name: its schema on SQL Server and table prefix on SQLite.</summary>
public static class ReturnsModule
{
    public const string Name = "returns";
}

/// <summary>Configuration section <c>Returns</c>.</summary>
public sealed class ReturnsOptions
{
    /// <summary>How long after delivery a return may be started (SPEC: 30 days).</summary>
    public TimeSpan ReturnWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>SKUs (or prefixes ending in <c>*</c>) that cannot be returned, e.g. gift cards.</summary>
    public List<string> NonReturnableSkus { get; set; } = ["GIFT-*"];

    /// <summary>Time a return may sit in one stage before its queue shows it overdue.</summary>
    public TimeSpan StageSla { get; set; } = TimeSpan.FromDays(2);

    public int MaxPhotos { get; set; } = 5;

    public int MaxPhotoBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Where photos are stored, outside the web root. Default: <c>return-photos</c> beside the SQLite file, else <c>./data/return-photos</c>.</summary>
    public string? PhotoFolder { get; set; }

    /// <summary>Cron of the <c>returns-outcomes</c> job that retries refunds and credits that had to wait.</summary>
    public string OutcomeSweepCron { get; set; } = "* * * * *";

    /// <summary>Where customers send returns (shown as the next action after approval).</summary>
    public string ReturnAddress { get; set; } = "Retail Returns, 1 Warehouse Way, Springfield 12345, US";

    public bool IsReturnable(string sku) => !NonReturnableSkus.Any(p =>
        p.EndsWith('*') ? sku.StartsWith(p[..^1], StringComparison.OrdinalIgnoreCase) : string.Equals(p, sku, StringComparison.OrdinalIgnoreCase));
}
