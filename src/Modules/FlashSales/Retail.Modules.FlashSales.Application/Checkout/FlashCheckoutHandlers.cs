using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Features;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.FlashSales.Application.Abstractions;
using Retail.Modules.FlashSales.Application.Listing;
using Retail.Modules.FlashSales.Domain.Sales;
using Retail.Modules.FlashSales.IntegrationEvents;

namespace Retail.Modules.FlashSales.Application.Checkout;

/// <summary>Flash checkout rejections per sale on this instance (the live panel's 429s), also exported as a meter.</summary>
public sealed class FlashCheckoutStatistics : IDisposable
{
    private readonly Meter _meter = new(FlashListingStatistics.MeterName);
    private readonly Counter<long> _rejections;
    private readonly ConcurrentDictionary<Guid, long> _rateLimitedBySale = new();

    public FlashCheckoutStatistics() =>
        _rejections = _meter.CreateCounter<long>("retail.flash.checkout.rejections", description: "Flash checkouts refused (rate_limited, sold_out, cap_exceeded)");

    public long RateLimitedFor(Guid saleId) => _rateLimitedBySale.TryGetValue(saleId, out var count) ? count : 0;

    internal void Rejected(Guid saleId, string reason)
    {
        if (reason == "rate_limited")
        {
            _rateLimitedBySale.AddOrUpdate(saleId, 1, (_, count) => count + 1);
        }

        _rejections.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>
/// What this instance has seen of flash claims, kept as <em>hints</em> for answering doomed checkouts before the checkout
/// gate: sale items found sold out (for <see cref="FlashSalesOptions.SoldOutMemo"/>, renewed while refusals keep being
/// confirmed) and the units each customer has claimed per SKU. A hint never refuses anyone by itself: it only tells
/// <see cref="PrecheckFlashClaimHandler"/> which attempts to confirm with one read (no write, no gate) made after the
/// attempt arrived. So a hint that went stale — units released on another instance, a claim rolled back — costs one read
/// and is corrected by it; it can never turn a buyer away while units or cap are available in the database. A release on
/// this instance forgets the hints of its SKU and customer at once. The per-customer hints are bounded (cleared when full).
/// </summary>
public sealed class FlashCheckoutMemo(TimeProvider time)
{
    internal const int MaxCustomerHints = 100_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _soldOutUntil = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Sku, string CustomerId), int> _claimed = new();

    public bool IsSoldOut(string sku) => _soldOutUntil.TryGetValue(sku, out var until) && time.GetUtcNow() < until;

    /// <summary>Units of <paramref name="sku"/> this instance last saw claimed by the customer (0 when it knows nothing).</summary>
    public int ClaimedBy(string sku, string customerId) => _claimed.TryGetValue((sku, customerId), out var units) ? units : 0;

    internal void RememberSoldOut(string sku, TimeSpan period) => _soldOutUntil[sku] = time.GetUtcNow() + period;

    internal void ForgetSoldOut(string sku) => _soldOutUntil.TryRemove(sku, out _);

    /// <summary>The customer's units as the database just showed them.</summary>
    internal void RememberClaimed(string sku, string customerId, int units)
    {
        if (units <= 0)
        {
            _claimed.TryRemove((sku, customerId), out _);
            return;
        }

        MakeRoom();
        _claimed[(sku, customerId)] = units;
    }

    /// <summary>A claim of this instance added units (a hint: the transaction may still roll back).</summary>
    internal void AddClaimed(string sku, string customerId, int units)
    {
        MakeRoom();
        _claimed.AddOrUpdate((sku, customerId), units, (_, known) => known + units);
    }

    internal void ForgetClaimed(string sku, string customerId) => _claimed.TryRemove((sku, customerId), out _);

    private void MakeRoom()
    {
        if (_claimed.Count >= MaxCustomerHints)
        {
            _claimed.Clear();
        }
    }
}

/// <summary>Live offers from the cached listing (for showing prices); empty while flash sales are switched off.</summary>
public sealed class GetFlashOffersHandler(FlashListingCache listing, IFeatureToggles features, TimeProvider time)
    : IQueryHandler<GetFlashOffers, IReadOnlyList<FlashOfferDto>>
{
    public async ValueTask<Result<IReadOnlyList<FlashOfferDto>>> Handle(GetFlashOffers query, CancellationToken cancellationToken) =>
        Result.Success(await LiveOffersAsync(listing, features, time, query.Skus, cancellationToken));

    internal static async Task<IReadOnlyList<FlashOfferDto>> LiveOffersAsync(
        FlashListingCache listing, IFeatureToggles features, TimeProvider time, IReadOnlyList<string> skus, CancellationToken cancellationToken) =>
        [.. (await LiveListingAsync(listing, features, time, skus, cancellationToken)).Select(l => l.Offer)];

    /// <summary>The live offers with their products' names as the cached listing has them (for naming a refusal).</summary>
    internal static async Task<IReadOnlyList<(FlashOfferDto Offer, string ProductName)>> LiveListingAsync(
        FlashListingCache listing, IFeatureToggles features, TimeProvider time, IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        if (skus.Count == 0 || (features.Find(Features.FlashSales) is { } toggle && !await toggle.IsEnabledAsync(cancellationToken)))
        {
            return [];
        }

        var wanted = skus.Select(FlashSkus.Normalize).ToHashSet(StringComparer.Ordinal);
        var snapshot = await listing.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        return snapshot.Sales
            .Where(s => FlashSale.IsInWindow(s.StartsAt, s.EndsAt, now))
            .SelectMany(s => s.Items.Where(i => wanted.Contains(i.Sku)).Select(i =>
                (Offer: new FlashOfferDto(i.Sku, s.Id, s.Name, i.FlashPrice, i.RegularPrice, s.EndsAt, i.PerCustomerCap), i.ProductName)))
            .GroupBy(o => o.Offer.Sku, StringComparer.Ordinal)
            .Select(g => g.First())
            .ToList();
    }
}

/// <summary>
/// The per customer + SKU window of SPEC A1, applied to SKUs in a live sale (as the cached listing knows them: a sale that
/// started seconds ago may be limited only from the next refresh, which errs on the side of serving).
/// </summary>
public sealed class CheckFlashCheckoutRateHandler(
    FlashListingCache listing,
    IFeatureToggles features,
    IFlashRateLimiter limiter,
    FlashCheckoutStatistics statistics,
    TimeProvider time) : IQueryHandler<CheckFlashCheckoutRate, IReadOnlyList<string>>
{
    public async ValueTask<Result<IReadOnlyList<string>>> Handle(CheckFlashCheckoutRate query, CancellationToken cancellationToken)
    {
        var offers = await GetFlashOffersHandler.LiveOffersAsync(listing, features, time, query.Skus, cancellationToken);
        foreach (var offer in offers.OrderBy(o => o.Sku, StringComparer.Ordinal))
        {
            var decision = await limiter.TryAcquireAsync(query.CustomerId, offer.Sku, cancellationToken);
            if (!decision.Allowed)
            {
                statistics.Rejected(offer.SaleId, "rate_limited");
                return new Error("rate_limited", UserMessages.RateLimited, ErrorKind.RateLimited) { RetryAfter = decision.RetryAfter };
            }
        }

        return offers.Select(o => o.Sku).ToList();
    }
}

/// <summary>
/// Answers before the checkout gate, with no write, the attempts the claim would certainly refuse right now. The cached
/// listing says which SKUs are in a live sale; the memo says which of them to doubt (remembered sold out, or this customer's
/// known units plus these would pass the cap). Only then the database decides, line by line in SKU order, from the same
/// rows and order <see cref="ClaimFlashAllocationHandler"/> uses: fewer units left than asked → 409 sold out (the live
/// items' read, shared by the attempts waiting for it: <see cref="LiveFlashItemReads"/>), over the cap → 422 (this
/// customer's purchases, read only when units are left) — the very errors of the claim. Every read starts after the
/// attempt arrived, so a refusal is what the database itself would have answered then, on any instance; when it shows
/// units (or cap) available the hint is dropped and the attempt goes on to the claim.
/// </summary>
public sealed class PrecheckFlashClaimHandler(
    FlashListingCache listing,
    IFeatureToggles features,
    FlashCheckoutMemo memo,
    LiveFlashItemReads liveItems,
    IServiceProvider services,
    IOptions<FlashSalesOptions> options,
    FlashCheckoutStatistics statistics,
    TimeProvider time) : IQueryHandler<PrecheckFlashClaim, bool>
{
    public async ValueTask<Result<bool>> Handle(PrecheckFlashClaim query, CancellationToken cancellationToken)
    {
        var lines = query.Lines
            .GroupBy(l => FlashSkus.Normalize(l.Sku), StringComparer.Ordinal)
            .Select(g => (Sku: g.Key, Quantity: g.Sum(l => l.Quantity)))
            .OrderBy(l => l.Sku, StringComparer.Ordinal)
            .ToList();
        var listed = await GetFlashOffersHandler.LiveListingAsync(listing, features, time, [.. lines.Select(l => l.Sku)], cancellationToken);
        var offers = listed.Select(l => l.Offer).ToList();
        if (offers.Count == 0 || !lines.Any(l => offers.FirstOrDefault(o => o.Sku == l.Sku) is { } offer
                && (memo.IsSoldOut(l.Sku) || (!query.SoldOutOnly
                    && (l.Quantity > offer.PerCustomerCap || memo.ClaimedBy(l.Sku, query.CustomerId) + l.Quantity > offer.PerCustomerCap)))))
        {
            return false;
        }

        var customerId = query.CustomerId;
        // The names for a refusal come from the listing snapshot just used (the live items' read carries none), not a read.
        var names = listed.ToDictionary(l => l.Offer.Sku, l => l.ProductName, StringComparer.Ordinal);
        var live = await liveItems.ReadAsync([.. lines.Select(l => l.Sku)], cancellationToken);
        Dictionary<Guid, int>? bought = null;
        foreach (var (sku, quantity) in lines)
        {
            var item = live.FirstOrDefault(i => i.Sku == sku);
            if (item is null)
            {
                continue;
            }

            if (item.Remaining < quantity)
            {
                if (item.Remaining <= 0)
                {
                    memo.RememberSoldOut(sku, options.Value.SoldOutMemo);
                }

                statistics.Rejected(item.SaleId, "sold_out");
                return ClaimFlashAllocationHandler.SoldOut(sku, names.GetValueOrDefault(sku));
            }

            // Units are left: only now this customer's own purchases matter (read once, also after the attempt arrived).
            bought ??= await PurchasesAsync(customerId, live, cancellationToken);
            var itemBought = bought.GetValueOrDefault(item.ItemId);
            memo.ForgetSoldOut(sku);
            memo.RememberClaimed(sku, customerId, itemBought);
            if (!query.SoldOutOnly && (quantity > item.PerCustomerCap || itemBought + quantity > item.PerCustomerCap))
            {
                statistics.Rejected(item.SaleId, "cap_exceeded");
                return ClaimFlashAllocationHandler.CapExceeded(sku, names.GetValueOrDefault(sku), item.PerCustomerCap);
            }
        }

        return true;
    }

    private async Task<Dictionary<Guid, int>> PurchasesAsync(string customerId, IReadOnlyList<LiveFlashItem> live, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<IFlashSalesDbContext>();
        var itemIds = live.Select(i => i.ItemId).ToList();
        return await db.Purchases.AsNoTracking()
            .Where(p => p.CustomerId == customerId && itemIds.Contains(p.ItemId))
            .ToDictionaryAsync(p => p.ItemId, p => p.Quantity, cancellationToken);
    }
}

/// <summary>
/// Claims flash units for an order inside this module's unit-of-work transaction. Per line, in SKU order (so concurrent
/// claims take locks in the same order): the live item is read from the database (never from the cache), the allocation
/// is one conditional UPDATE (<c>Sold = Sold + n WHERE Sold + n &lt;= Allocation</c>), and the customer's cap another
/// (<c>Quantity = Quantity + n WHERE Quantity + n &lt;= Cap</c>, or an insert for the first purchase, which the unique
/// index keeps single). Any refusal fails the command and the transaction rolls every line back. While flash sales are
/// switched off nothing is claimed.
/// </summary>
public sealed partial class ClaimFlashAllocationHandler(
    IFlashSalesDbContext db,
    IFeatureToggles features,
    FlashCheckoutMemo memo,
    IOptions<FlashSalesOptions> options,
    FlashCheckoutStatistics statistics,
    TimeProvider time,
    ILogger<ClaimFlashAllocationHandler> logger) : ICommandHandler<ClaimFlashAllocation, IReadOnlyList<FlashClaimedLine>>
{
    /// <param name="productName">
    /// The sale item's product name, from the rows already at hand (never a read of its own: this is the refusal a storm
    /// gets thousands of times a second), so the refusal keyed by SKU also says which product it is; the SKU when none.
    /// </param>
    public static Error SoldOut(string sku, string? productName) =>
        Error.Conflict("flash.sold_out", UserMessages.OutOfStock)
        with { FieldErrors = new Dictionary<string, string[]> { [sku] = [$"{NameOr(sku, productName)}: {UserMessages.OutOfStock}"] } };

    /// <param name="productName">As for <see cref="SoldOut"/>: from the rows at hand, the SKU when none.</param>
    public static Error CapExceeded(string sku, string? productName, int cap) =>
        Error.Unprocessable("flash.cap_exceeded", $"You can buy at most {cap} of this item in this flash sale.")
        with { FieldErrors = new Dictionary<string, string[]> { [sku] = [$"{NameOr(sku, productName)}: at most {cap} per customer in this flash sale."] } };

    private static string NameOr(string sku, string? productName) => string.IsNullOrWhiteSpace(productName) ? sku : productName;

    public async ValueTask<Result<IReadOnlyList<FlashClaimedLine>>> Handle(ClaimFlashAllocation command, CancellationToken cancellationToken)
    {
        var existing = await db.Claims.AsNoTracking().Where(c => c.OrderId == command.OrderId).ToListAsync(cancellationToken);
        if (existing.Count > 0)
        {
            return existing.Select(c => new FlashClaimedLine(c.Sku, c.SaleId, c.Quantity, c.UnitPrice)).ToList();
        }

        // Switched off: nothing is claimed and every line keeps the regular price.
        if (features.Find(Features.FlashSales) is { } toggle && !await toggle.IsEnabledAsync(cancellationToken))
        {
            return Array.Empty<FlashClaimedLine>();
        }

        var now = time.GetUtcNow();
        var lines = command.Lines
            .GroupBy(l => FlashSkus.Normalize(l.Sku), StringComparer.Ordinal)
            .Select(g => (Sku: g.Key, Quantity: g.Sum(l => l.Quantity), RegularPrice: g.First().RegularPrice))
            .OrderBy(l => l.Sku, StringComparer.Ordinal)
            .ToList();
        var skus = lines.Select(l => l.Sku).ToList();
        var live = await (from i in db.Items.AsNoTracking()
                          join s in db.Sales.AsNoTracking() on i.SaleId equals s.Id
                          where skus.Contains(i.Sku) && s.StartsAt <= now && s.EndsAt > now
                          orderby s.StartsAt
                          select i).ToListAsync(cancellationToken);

        var claimed = new List<FlashClaimedLine>();
        foreach (var (sku, quantity, regularPrice) in lines)
        {
            var item = live.FirstOrDefault(i => i.Sku == sku);
            if (item is null)
            {
                continue;
            }

            var itemId = item.Id;
            var taken = await db.Items
                .Where(i => i.Id == itemId && i.Sold + quantity <= i.Allocation)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sold, i => i.Sold + quantity), cancellationToken);
            if (taken == 0)
            {
                // Only a whole sold-out item is remembered; "fewer left than asked for" is not.
                if (await db.Items.AsNoTracking().Where(i => i.Id == itemId).Select(i => i.Allocation - i.Sold).SingleAsync(cancellationToken) <= 0)
                {
                    memo.RememberSoldOut(sku, options.Value.SoldOutMemo);
                }

                statistics.Rejected(item.SaleId, "sold_out");
                return SoldOut(sku, item.ProductName);
            }

            if (!await TryAddToCapAsync(itemId, command.CustomerId, quantity, item.PerCustomerCap, cancellationToken))
            {
                memo.RememberClaimed(sku, command.CustomerId, item.PerCustomerCap);
                statistics.Rejected(item.SaleId, "cap_exceeded");
                return CapExceeded(sku, item.ProductName, item.PerCustomerCap);
            }

            // The flash price against Catalog's price now, never above it; locked into the order from here on.
            var unitPrice = item.PriceRule.Apply(regularPrice);
            db.Claims.Add(FlashClaim.Create(command.OrderId, item.SaleId, itemId, sku, command.CustomerId, quantity, unitPrice, now));
            db.Publish(new FlashUnitsClaimed(Guid.NewGuid(), now, item.SaleId, command.OrderId, sku, quantity, unitPrice));
            claimed.Add(new FlashClaimedLine(sku, item.SaleId, quantity, unitPrice));
            memo.AddClaimed(sku, command.CustomerId, quantity);
        }

        if (claimed.Count > 0)
        {
            logger.LogInformation("Order {OrderId} claimed flash units {Lines}", command.OrderId, string.Join(", ", claimed.Select(c => $"{c.Sku}×{c.Quantity}@{c.UnitPrice}")));
        }

        return claimed;
    }

    private async Task<bool> TryAddToCapAsync(Guid itemId, string customerId, int quantity, int cap, CancellationToken cancellationToken)
    {
        var raised = await db.Purchases
            .Where(p => p.ItemId == itemId && p.CustomerId == customerId && p.Quantity + quantity <= cap)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Quantity, p => p.Quantity + quantity), cancellationToken);
        if (raised > 0)
        {
            return true;
        }

        if (quantity > cap || await db.Purchases.AnyAsync(p => p.ItemId == itemId && p.CustomerId == customerId, cancellationToken))
        {
            return false;
        }

        // The customer's first purchase of this item inserts the row now, not at the closing save: another first purchase
        // of the same customer (another instance, another scope) may also have seen "no row" and insert it first. The
        // unique index then refuses ours; the winner's row stands and our units go through its cap like any later purchase.
        // Earlier lines' changes are saved first, so the insert is the only change a refused save rolls back (to EF's
        // savepoint inside the transaction).
        await db.SaveChangesAsync(cancellationToken);
        var purchase = FlashPurchase.Start(itemId, customerId, quantity);
        db.Purchases.Add(purchase);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Purchases.Entry(purchase).State = EntityState.Detached;
            if (!await db.Purchases.AsNoTracking().AnyAsync(p => p.ItemId == itemId && p.CustomerId == customerId, cancellationToken))
            {
                throw; // not the unique index: no other row is there
            }
        }

        LogFirstPurchaseRaceLost(logger, customerId, itemId);
        return await db.Purchases
            .Where(p => p.ItemId == itemId && p.CustomerId == customerId && p.Quantity + quantity <= cap)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Quantity, p => p.Quantity + quantity), cancellationToken) > 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A concurrent first flash purchase of customer {CustomerId} for item {ItemId} inserted the purchase row first; this claim is added to it within the cap")]
    private static partial void LogFirstPurchaseRaceLost(ILogger logger, string customerId, Guid itemId);
}

/// <summary>
/// Gives the units of an unpaid order back to the allocation and to the customer's cap, once per claim (a claim marks
/// itself released in the same transaction). Paid claims are kept: those units are sold.
/// </summary>
public sealed class ReleaseFlashAllocationHandler(IFlashSalesDbContext db, FlashCheckoutMemo memo, TimeProvider time, ILogger<ReleaseFlashAllocationHandler> logger)
    : ICommandHandler<ReleaseFlashAllocation>
{
    public async ValueTask<Result> Handle(ReleaseFlashAllocation command, CancellationToken cancellationToken)
    {
        if (await ReleaseAsync(db, memo, command.OrderId, time.GetUtcNow(), cancellationToken) > 0)
        {
            logger.LogInformation("Released flash units of order {OrderId}: {Reason}", command.OrderId, command.Reason);
        }

        return Result.Success();
    }

    /// <summary>Releases the order's open claims inside the caller's transaction; answers how many were released.</summary>
    internal static async Task<int> ReleaseAsync(IFlashSalesDbContext db, FlashCheckoutMemo memo, Guid orderId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claims = await db.Claims.Where(c => c.OrderId == orderId && c.ReleasedAt == null && c.PaidAt == null).ToListAsync(cancellationToken);
        var released = 0;
        foreach (var claim in claims.Where(c => c.Release(now)))
        {
            var (itemId, quantity, customerId) = (claim.ItemId, claim.Quantity, claim.CustomerId);
            await db.Items.Where(i => i.Id == itemId && i.Sold >= quantity)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sold, i => i.Sold - quantity), cancellationToken);
            await db.Purchases.Where(p => p.ItemId == itemId && p.CustomerId == customerId && p.Quantity >= quantity)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Quantity, p => p.Quantity - quantity), cancellationToken);
            memo.ForgetSoldOut(claim.Sku);
            memo.ForgetClaimed(claim.Sku, customerId);
            released++;
        }

        return released;
    }
}
