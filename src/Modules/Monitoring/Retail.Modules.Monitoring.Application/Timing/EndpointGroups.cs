namespace Retail.Modules.Monitoring.Application.Timing;

/// <summary>Which endpoint group a request path belongs to (SPEC O2: percentiles per endpoint group).</summary>
public static class EndpointGroups
{
    public const string Storefront = "storefront";
    public const string Checkout = "checkout";
    public const string FlashListing = "flash-listing";
    public const string PartnerApi = "partner-api";
    public const string Admin = "admin";
    public const string ApiOther = "api-other";

    /// <summary>Not an endpoint group: every answer with status 429, whatever its path (SPEC A1 "decided in under 100 ms").</summary>
    public const string RateLimited = "rate-limited";

    public static readonly IReadOnlyList<string> All = [Storefront, Checkout, FlashListing, PartnerApi, Admin, ApiOther];

    private static readonly string[] Excluded = ["/health", "/metrics", "/css", "/js", "/img", "/lib", "/favicon.ico", "/_framework"];

    /// <summary>The group of a path, or null for what is not timed (health, metrics, static files).</summary>
    public static string? Classify(string? path)
    {
        var p = string.IsNullOrEmpty(path) ? "/" : path;
        if (Excluded.Any(e => StartsWithSegment(p, e)))
        {
            return null;
        }

        if (StartsWithSegment(p, "/api/checkout") || StartsWithSegment(p, "/checkout") || StartsWithSegment(p, "/cart"))
        {
            return Checkout;
        }

        if (StartsWithSegment(p, "/flash") || StartsWithSegment(p, "/api/flash"))
        {
            return FlashListing;
        }

        if (StartsWithSegment(p, "/api/partners"))
        {
            return PartnerApi;
        }

        if (StartsWithSegment(p, "/admin") || StartsWithSegment(p, "/hangfire") || StartsWithSegment(p, "/staff") || StartsWithSegment(p, "/api/monitoring"))
        {
            return Admin;
        }

        return StartsWithSegment(p, "/api") ? ApiOther : Storefront;
    }

    /// <summary>
    /// A JSON API request that submits something (any method but GET, HEAD, OPTIONS, TRACE): what acceptance rates count.
    /// Pages are left out: a form post answers 302 on success and 200 with the error shown, so its status says nothing.
    /// </summary>
    public static bool IsApiSubmission(string? method, string? path) =>
        method is not null
        && !HttpMethodsThatRead.Contains(method, StringComparer.OrdinalIgnoreCase)
        && path is not null
        && StartsWithSegment(path, "/api");

    /// <summary>A POST of a stock webhook (SPEC I2's acknowledgement), not any other partner API call.</summary>
    public static bool IsPartnerWebhook(string? method, string? path) => IsPost(method, path, "/api/partners/webhooks/stock");

    /// <summary>A POST of a feed (SPEC U2's upload), not a status poll or any other partner API call.</summary>
    public static bool IsPartnerFeedUpload(string? method, string? path) => IsPost(method, path, "/api/partners/feeds");

    private static bool IsPost(string? method, string? path, string endpoint) =>
        string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase)
        && path is not null
        && string.Equals(path.TrimEnd('/'), endpoint, StringComparison.OrdinalIgnoreCase);

    private static readonly string[] HttpMethodsThatRead = ["GET", "HEAD", "OPTIONS", "TRACE"];

    private static bool StartsWithSegment(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
        && (path.Length == prefix.Length || path[prefix.Length] == '/' || prefix.EndsWith(".ico", StringComparison.Ordinal));
}
