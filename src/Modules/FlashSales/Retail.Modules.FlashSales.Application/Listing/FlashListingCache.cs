using System.ComponentModel;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Caching;
using Retail.Modules.FlashSales.Application.Abstractions;

namespace Retail.Modules.FlashSales.Application.Listing;

/// <summary>What the listing cache holds: plain numbers as of <see cref="LoadedAt"/>; states are computed per request.</summary>
/// <param name="LoadId">New for every database load, so whoever keeps something made from a snapshot can tell it changed.</param>
/// <remarks>
/// Immutable (and marked so): HybridCache then hands every reader the same instance from its first level instead of
/// deserializing a private copy per read, which on the busiest page of a sale was most of the cost of a cached read.
/// </remarks>
[ImmutableObject(true)]
public sealed record FlashListingSnapshot(Guid LoadId, DateTimeOffset LoadedAt, IReadOnlyList<CachedFlashSale> Sales);

[ImmutableObject(true)]
public sealed record CachedFlashSale(Guid Id, string Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt, IReadOnlyList<CachedFlashItem> Items);

[ImmutableObject(true)]
public sealed record CachedFlashItem(string Sku, string ProductName, decimal RegularPrice, decimal FlashPrice, int Allocation, int Remaining, int PerCustomerCap);

/// <summary>Requests and database loads of the listing, per instance (the hit rate of SPEC P1), also exported as meters.</summary>
public sealed class FlashListingStatistics : IDisposable
{
    public const string MeterName = "Retail.FlashSales";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _requests;
    private readonly Counter<long> _loads;
    private long _requestCount;
    private long _loadCount;

    public FlashListingStatistics()
    {
        _requests = _meter.CreateCounter<long>("retail.flash.listing.requests", description: "Flash listing reads (page, API, cart prices)");
        _loads = _meter.CreateCounter<long>("retail.flash.listing.loads", description: "Flash listing database loads (cache misses)");
    }

    public long Requests => Interlocked.Read(ref _requestCount);

    public long Loads => Interlocked.Read(ref _loadCount);

    /// <summary>Share of reads answered without a database load.</summary>
    public double HitRate => Requests == 0 ? 1 : 1 - ((double)Loads / Requests);

    internal void Request()
    {
        Interlocked.Increment(ref _requestCount);
        _requests.Add(1);
    }

    internal void Load()
    {
        Interlocked.Increment(ref _loadCount);
        _loads.Add(1);
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>
/// SPEC P1. The listing lives in HybridCache (L1 in process, Redis L2 when configured) under a key per refresh period
/// (<c>flash:listing:{period}</c>, periods counted by <see cref="TimeProvider"/>), so every instance reloads at most once per
/// period whatever the entry lifetimes are, and HybridCache's per-key stampede protection makes concurrent misses share one
/// query. An admin edit removes the <see cref="FlashSalesModule.CacheTag"/> tag, so the next read reloads at once.
/// Remaining units may lag by up to one period; checkout never reads them from here.
/// </summary>
public sealed class FlashListingCache(
    IServiceScopeFactory scopes,
    HybridCache cache,
    TimeProvider time,
    IOptions<FlashSalesOptions> options,
    FlashListingStatistics statistics)
{
    public async ValueTask<FlashListingSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        statistics.Request();
        var refresh = options.Value.ListingRefresh;
        var now = time.GetUtcNow();
        var period = now.ToUnixTimeMilliseconds() / (long)refresh.TotalMilliseconds;
        var entry = new HybridCacheEntryOptions { Expiration = refresh * 2, LocalCacheExpiration = refresh * 2 };
        return await cache.GetOrLoadAsync<IFlashSalesDbContext, FlashListingSnapshot>(
            scopes,
            $"flash:listing:{period}",
            async (db, ct) =>
            {
                statistics.Load();
                return await LoadAsync(db, time.GetUtcNow(), ct);
            },
            entry,
            [FlashSalesModule.CacheTag],
            cancellationToken);
    }

    /// <summary>One query: every sale not yet over with its items (sales that ended drop out of the listing).</summary>
    private static async Task<FlashListingSnapshot> LoadAsync(IFlashSalesDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sales = await db.Sales.AsNoTracking()
            .Where(s => s.EndsAt > now)
            .OrderBy(s => s.StartsAt)
            .Select(s => new
            {
                s.Id,
                s.Name,
                s.StartsAt,
                s.EndsAt,
                Items = s.Items.OrderBy(i => i.ProductName).Select(i => new { i.Sku, i.ProductName, i.RegularPrice, i.FixedPrice, i.PercentOff, i.Allocation, i.Sold, i.PerCustomerCap }).ToList(),
            })
            .Take(100)
            .ToListAsync(cancellationToken);
        return new FlashListingSnapshot(Guid.NewGuid(), now, [.. sales.Select(s => new CachedFlashSale(
            s.Id,
            s.Name,
            s.StartsAt,
            s.EndsAt,
            [.. s.Items.Select(i => new CachedFlashItem(
                i.Sku,
                i.ProductName,
                i.RegularPrice,
                new Domain.Sales.FlashPrice(i.FixedPrice, i.PercentOff).Apply(i.RegularPrice),
                i.Allocation,
                Math.Max(0, i.Allocation - i.Sold),
                i.PerCustomerCap))]))]);
    }
}
