using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.FlashSales.Domain.Sales;

/// <summary>Where a sale stands at a given instant. Computed from the server clock, never stored, never taken from a client.</summary>
public enum FlashSaleState
{
    Upcoming,
    Live,
    SoldOut,
    Ended,
}

/// <summary>
/// A timed sale: a window [StartsAt, EndsAt) in UTC and the products offered in it, each with its flash price rule, an
/// allocation (units offered in the sale) and a per-customer cap. Units sold are not changed here: every claim is one
/// conditional UPDATE in the database (see ClaimFlashAllocation), so concurrent buyers can never take more than the allocation.
/// </summary>
public sealed class FlashSale : AggregateRoot<Guid>
{
    public const int MaxItems = 50;
    public const int MaxNameLength = 120;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(14);

    private readonly List<FlashSaleItem> _items = [];

    private FlashSale()
    {
    }

    public string Name { get; private set; } = "";

    /// <summary>First instant the sale is live (inclusive).</summary>
    public DateTimeOffset StartsAt { get; private set; }

    /// <summary>First instant the sale is over (exclusive).</summary>
    public DateTimeOffset EndsAt { get; private set; }

    public IReadOnlyList<FlashSaleItem> Items => _items;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>
    /// Concurrency token: incremented by every change an admin makes (save, End now), so two admins editing the same sale
    /// cannot both win; the second is told to reload instead of silently overwriting the first. Units sold are not part of
    /// it (checkout changes them by conditional UPDATEs all the time).
    /// </summary>
    public int Version { get; private set; }

    public static FlashSale Create(string name, DateTimeOffset startsAt, DateTimeOffset endsAt, IReadOnlyList<FlashSaleItemSpec> items, DateTimeOffset now)
    {
        var sale = new FlashSale { Id = Guid.NewGuid(), CreatedAt = now };
        sale.Apply(name, startsAt, endsAt, items, now, soldBySku: null);
        sale.Raise(new FlashSaleChangedDomainEvent(sale.Id, now));
        return sale;
    }

    /// <summary>
    /// Changes the window and the offer. Units already sold stay sold: an item that has sales cannot be removed or get an
    /// allocation below what it sold.
    /// </summary>
    public void Update(string name, DateTimeOffset startsAt, DateTimeOffset endsAt, IReadOnlyList<FlashSaleItemSpec> items, DateTimeOffset now)
    {
        var sold = _items.ToDictionary(i => i.Sku, i => i.Sold, StringComparer.Ordinal);
        Apply(name, startsAt, endsAt, items, now, sold);
        Raise(new FlashSaleChangedDomainEvent(Id, now));
    }

    /// <summary>Ends the sale now (it stays in the history; nothing is deleted).</summary>
    public void EndNow(DateTimeOffset now)
    {
        if (now < EndsAt)
        {
            EndsAt = now < StartsAt ? StartsAt : now;
            UpdatedAt = now;
            Version++;
            Raise(new FlashSaleChangedDomainEvent(Id, now));
        }
    }

    public FlashSaleState StateAt(DateTimeOffset now) => StateOf(StartsAt, EndsAt, _items.Sum(i => i.Remaining), now);

    /// <summary>The one rule for a sale's state, shared with the cached listing (which holds plain numbers, not entities).</summary>
    public static FlashSaleState StateOf(DateTimeOffset startsAt, DateTimeOffset endsAt, int remainingUnits, DateTimeOffset now) =>
        now < startsAt ? FlashSaleState.Upcoming
        : now >= endsAt ? FlashSaleState.Ended
        : remainingUnits <= 0 ? FlashSaleState.SoldOut
        : FlashSaleState.Live;

    /// <summary>Whether a purchase at <paramref name="now"/> gets the flash price: inside the window, boundaries exact.</summary>
    public static bool IsInWindow(DateTimeOffset startsAt, DateTimeOffset endsAt, DateTimeOffset now) => now >= startsAt && now < endsAt;

    private void Apply(string name, DateTimeOffset startsAt, DateTimeOffset endsAt, IReadOnlyList<FlashSaleItemSpec> items, DateTimeOffset now, Dictionary<string, int>? soldBySku)
    {
        ArgumentNullException.ThrowIfNull(items);
        CheckRule(new SaleNameMustBePresentRule(name));
        CheckRule(new SaleWindowMustBeValidRule(startsAt, endsAt));
        CheckRule(new SaleMustOfferDistinctProductsRule(items));
        foreach (var spec in items)
        {
            CheckRule(new FlashPriceRuleMustBeValidRule(spec.Price));
            CheckRule(new AllocationAndCapMustBeValidRule(spec.Allocation, spec.PerCustomerCap));
        }

        if (soldBySku is not null)
        {
            CheckRule(new SoldUnitsMustStayCoveredRule(items, soldBySku));
        }

        Name = name.Trim();
        StartsAt = startsAt.ToUniversalTime();
        EndsAt = endsAt.ToUniversalTime();
        UpdatedAt = now;
        Version++;

        var existing = _items.ToDictionary(i => i.Sku, StringComparer.Ordinal);
        _items.RemoveAll(i => !items.Any(s => FlashSkus.Normalize(s.Sku) == i.Sku));
        foreach (var spec in items)
        {
            var sku = FlashSkus.Normalize(spec.Sku);
            if (existing.TryGetValue(sku, out var item))
            {
                item.Change(spec);
            }
            else
            {
                _items.Add(FlashSaleItem.Create(Id, spec));
            }
        }
    }
}

/// <summary>What an admin enters per product: SKU, price rule, units offered, and how many one customer may buy.</summary>
public sealed record FlashSaleItemSpec(string Sku, string ProductName, decimal RegularPrice, FlashPrice Price, int Allocation, int PerCustomerCap);

/// <summary>
/// One product in a sale. <see cref="Sold"/> counts units claimed by orders (released again if an order is cancelled);
/// it is only ever changed by a conditional UPDATE that keeps it within [0, Allocation].
/// </summary>
public sealed class FlashSaleItem : Entity<Guid>
{
    private FlashSaleItem()
    {
    }

    public Guid SaleId { get; private set; }

    public string Sku { get; private set; } = "";

    /// <summary>The product's name when the sale was saved, kept current from Catalog's ProductUpserted events.</summary>
    public string ProductName { get; private set; } = "";

    /// <summary>The product's regular price, kept current from Catalog's ProductUpserted events.</summary>
    public decimal RegularPrice { get; private set; }

    /// <summary>Fixed flash price, or null when <see cref="PercentOff"/> applies.</summary>
    public decimal? FixedPrice { get; private set; }

    public int? PercentOff { get; private set; }

    public int Allocation { get; private set; }

    public int Sold { get; private set; }

    public int PerCustomerCap { get; private set; }

    public int Remaining => Math.Max(0, Allocation - Sold);

    public FlashPrice PriceRule => FixedPrice is { } fixedPrice ? FlashPrice.Fixed(fixedPrice) : FlashPrice.Percent(PercentOff ?? 0);

    /// <summary>The flash price against the current regular price.</summary>
    public decimal FlashPriceNow => PriceRule.Apply(RegularPrice);

    internal static FlashSaleItem Create(Guid saleId, FlashSaleItemSpec spec)
    {
        var item = new FlashSaleItem { Id = Guid.NewGuid(), SaleId = saleId, Sku = FlashSkus.Normalize(spec.Sku) };
        item.Change(spec);
        return item;
    }

    internal void Change(FlashSaleItemSpec spec)
    {
        ProductName = spec.ProductName.Trim();
        RegularPrice = spec.RegularPrice;
        FixedPrice = spec.Price.FixedPrice;
        PercentOff = spec.Price.PercentOff;
        Allocation = spec.Allocation;
        PerCustomerCap = spec.PerCustomerCap;
    }
}

/// <summary>
/// A flash price: a fixed amount or a percentage off the regular price. Never above the regular price (a "flash" price
/// that costs more is the regular price), rounded half away from zero to cents.
/// </summary>
public sealed record FlashPrice(decimal? FixedPrice, int? PercentOff)
{
    public static FlashPrice Fixed(decimal price) => new(price, null);

    public static FlashPrice Percent(int percentOff) => new(null, percentOff);

    public decimal Apply(decimal regularPrice)
    {
        var price = FixedPrice ?? decimal.Round(regularPrice * (100 - (PercentOff ?? 0)) / 100m, 2, MidpointRounding.AwayFromZero);
        return Math.Min(price, regularPrice);
    }

    /// <summary>"19.99" or "20%": what the admin form shows and accepts.</summary>
    public override string ToString() =>
        FixedPrice is { } p ? p.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : $"{PercentOff}%";
}

public static class FlashSkus
{
    public static string Normalize(string sku) => (sku ?? "").Trim().ToUpperInvariant();
}

public sealed record FlashSaleChangedDomainEvent(Guid SaleId, DateTimeOffset OccurredAt) : IDomainEvent;
