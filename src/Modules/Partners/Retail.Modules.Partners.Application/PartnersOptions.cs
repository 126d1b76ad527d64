using Retail.Modules.Partners.Domain.Feeds;

namespace Retail.Modules.Partners.Application;

/// <summary>Configuration of the Partners module (section <c>Partners</c>).</summary>
public sealed class PartnersOptions
{
    /// <summary>Feeds larger than this are refused with 413 before parsing.</summary>
    public long MaxFeedBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Feeds up to this size are processed inside the request; larger ones become a background job (202).</summary>
    public long InlineMaxBytes { get; set; } = 64 * 1024;

    /// <summary>Rows per Catalog call and transaction.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Longest accepted field, in characters (description; others are shorter by schema).</summary>
    public int MaxFieldLength { get; set; } = 4000;

    /// <summary>At most this many row errors are stored per job (all are counted).</summary>
    public int MaxStoredErrors { get; set; } = 10_000;

    /// <summary>The shop's currency: feed prices must be in it.</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>A full feed pauses for admin confirmation when it would deactivate more than this share.</summary>
    public decimal MaxVanishShare { get; set; } = VanishGuard.DefaultMaxShare;

    /// <summary>Folder of received feed files (outside the web root).</summary>
    public string StorageFolder { get; set; } = "./data/partner-feeds";

    /// <summary>Callbacks to private/loopback addresses are allowed only when true (development).</summary>
    public bool AllowPrivateCallbackUrls { get; set; }

    /// <summary>Retries of an outcome callback after the first attempt, with exponential backoff from <see cref="CallbackBaseDelay"/>.</summary>
    public int CallbackRetries { get; set; } = 3;

    public TimeSpan CallbackBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan CallbackTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Maximum JSON nesting depth of feeds.</summary>
    public int MaxJsonDepth { get; set; } = 8;

    /// <summary>Processed stock webhook deliveries (and their callback attempts) older than this are deleted.</summary>
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Authentication audit rows (one per partner API call) older than this are deleted.</summary>
    public TimeSpan AuthAuditRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Cron of the <c>partners-retention</c> job (daily, at night, by default).</summary>
    public string RetentionCron { get; set; } = "27 3 * * *";
}
