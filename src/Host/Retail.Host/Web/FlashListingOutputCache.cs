using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.FlashSales.Application.Listing;

namespace Retail.Host.Web;

/// <summary>
/// SPEC P1's busiest page: a visitor's view of <c>/flash/products</c> is the same for every visitor, so it is rendered
/// once and served from the output cache (per instance, in memory). The cache key carries the listing's version (feature
/// switch + snapshot load, <see cref="GetFlashListingVersionQuery"/>) and the app clock's current second, so a cached
/// page shows exactly what a fresh render would show this second: an admin edit, a refresh period or switching flash
/// sales off is visible at once, and countdowns are never more than the second they were rendered in behind.
/// Not cached: signed-in users (their page has add-to-cart forms with antiforgery tokens), requests carrying a query string
/// (the layout echoes <c>search</c>; and arbitrary query strings must not mint cache entries) or a TempData cookie (a
/// one-time message to show), and anything but a 200 without cookies.
/// </summary>
public sealed class FlashListingOutputCache : IOutputCachePolicy
{
    public const string PolicyName = "flash-listing";

    /// <summary>Longer than the second a rendering is keyed by, so the entry is still there for that whole second.</summary>
    private static readonly TimeSpan EntryLifetime = TimeSpan.FromSeconds(2);

    async ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var request = http.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || http.User.Identity?.IsAuthenticated == true
            || request.Headers.Authorization.Count > 0
            || request.QueryString.HasValue
            || request.Cookies.ContainsKey(WebSetup.TempDataCookieName))
        {
            return;
        }

        var version = await http.RequestServices.GetRequiredService<IRequestSender>().Send(new GetFlashListingVersionQuery(), cancellation);
        if (!version.IsSuccess)
        {
            return;
        }

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = EntryLifetime;
        context.CacheVaryByRules.VaryByValues["listing"] = version.Value;
        context.CacheVaryByRules.VaryByValues["second"] = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
        {
            context.AllowCacheStorage = false;
        }

        return ValueTask.CompletedTask;
    }
}
