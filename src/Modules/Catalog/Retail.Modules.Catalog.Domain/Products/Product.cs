using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Catalog.Domain.Products;

/// <summary>
/// A product of the shop. Stock is deliberately not changed here: every stock change is one conditional UPDATE in the
/// database (see AdjustStock), so concurrent buyers and admins can never read-then-write over each other.
/// </summary>
public sealed class Product : AggregateRoot<Guid>
{
    public const int MaxImages = 10;

    private List<string> _imageUrls = [];

    private Product()
    {
    }

    public string Sku { get; private set; } = "";

    public string Name { get; private set; } = "";

    public string Description { get; private set; } = "";

    public Guid CategoryId { get; private set; }

    public decimal Price { get; private set; }

    public int Stock { get; private set; }

    public IReadOnlyList<string> ImageUrls => _imageUrls;

    public bool IsActive { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The partner whose feeds own this product; null for the shop's own products.</summary>
    public string? PartnerId { get; private set; }

    public string? Brand { get; private set; }

    public string? Gtin { get; private set; }

    /// <summary>
    /// Concurrency token: incremented by every change of the product's details (admin, API, partner feed), so two admins
    /// editing the same product cannot both win; the second is told to reload instead of silently undoing the first.
    /// Stock is not part of it: sales and adjustments change stock by conditional UPDATEs all the time.
    /// </summary>
    public int Version { get; private set; }

    /// <summary>A product that a partner's feed brings in; only that partner's feeds may change it afterwards.</summary>
    public static Product CreateForPartner(ProductDetails details, string sku, int initialStock, string partnerId, string? brand, string? gtin, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(partnerId);
        var product = Create(details, sku, initialStock, now);
        product.PartnerId = partnerId;
        product.Brand = brand;
        product.Gtin = gtin;
        return product;
    }

    /// <summary>True when a partner row would change nothing (so re-sending the same feed writes nothing).</summary>
    public bool HasSamePartnerDetails(ProductDetails details, string? brand, string? gtin)
    {
        ArgumentNullException.ThrowIfNull(details);
        return Name == details.Name.Trim()
            && Description == details.Description.Trim()
            && CategoryId == details.CategoryId
            && Price == decimal.Round(details.Price, 2, MidpointRounding.AwayFromZero)
            && IsActive == details.IsActive
            && _imageUrls.SequenceEqual(details.ImageUrls)
            && string.Equals(Brand, brand, StringComparison.Ordinal)
            && string.Equals(Gtin, gtin, StringComparison.Ordinal);
    }

    public void UpdateFromPartner(ProductDetails details, string? brand, string? gtin, DateTimeOffset now)
    {
        Brand = brand;
        Gtin = gtin;
        Update(details, now);
    }

    /// <summary>A full partner feed no longer lists this product: it stops being sold (nothing is deleted).</summary>
    public void Deactivate(DateTimeOffset now) =>
        Update(new ProductDetails(Name, Description, CategoryId, Price, _imageUrls, IsActive: false), now);

    public static Product Create(ProductDetails details, string sku, int initialStock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        CheckRule(new SkuMustBeWellFormedRule(sku));
        CheckRule(new StockCannotBeNegativeRule(initialStock));
        var product = new Product
        {
            // Time-ordered (UUID v7): new products append to the primary key's index instead of landing on a random page
            // of it, which keeps a large feed's inserts from dirtying a page per row.
            Id = Guid.CreateVersion7(now),
            Sku = Skus.Normalize(sku),
            Stock = initialStock,
            CreatedAt = now,
        };
        product.Apply(details, now);
        return product;
    }

    public void Update(ProductDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        Apply(details, now);
    }

    private void Apply(ProductDetails details, DateTimeOffset now)
    {
        CheckRule(new PriceMustBeNonNegativeRule(details.Price));
        CheckRule(new ImagesMustBeAbsoluteHttpUrlsRule(details.ImageUrls));
        Name = details.Name.Trim();
        Description = details.Description.Trim();
        CategoryId = details.CategoryId;
        Price = decimal.Round(details.Price, 2, MidpointRounding.AwayFromZero);
        _imageUrls = [.. details.ImageUrls];
        IsActive = details.IsActive;
        UpdatedAt = now;
        Version++;
        Raise(new ProductUpsertedDomainEvent(Id, Sku, Name, CategoryId, Price, Stock, IsActive, now));
    }
}

/// <summary>The editable fields of a product.</summary>
public sealed record ProductDetails(string Name, string Description, Guid CategoryId, decimal Price, IReadOnlyList<string> ImageUrls, bool IsActive);

public sealed record ProductUpsertedDomainEvent(
    Guid ProductId, string Sku, string Name, Guid CategoryId, decimal Price, int Stock, bool IsActive, DateTimeOffset OccurredAt) : IDomainEvent;

public static class Skus
{
    public const int MaxLength = 40;

    /// <summary>
    /// SKUs are compared case-insensitively; they are stored upper-case. A SKU that is already normalized comes back as
    /// the same instance (no allocation: a feed batch normalizes every row's SKU).
    /// </summary>
    public static string Normalize(string sku)
    {
        sku ??= "";
        var trimmed = sku.AsSpan().Trim();
        if (trimmed.Length == sku.Length && !HasLowerCase(trimmed))
        {
            return sku;
        }

        return sku.Trim().ToUpperInvariant();
    }

    /// <summary>1–<see cref="MaxLength"/> letters, digits, '-', '_' or '.' once normalized. Allocates nothing.</summary>
    public static bool IsWellFormed(string? sku)
    {
        var value = (sku ?? "").AsSpan().Trim();
        if (value.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            // Upper-cased first, as Normalize does: a few non-ASCII letters (U+0131 'ı', U+017F 'ſ') become ASCII.
            var upper = char.ToUpperInvariant(c);
            if (!(char.IsAsciiLetterOrDigit(upper) || upper is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasLowerCase(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            // Surrogate pairs take the string path, which upper-cases them as pairs.
            if (char.IsSurrogate(c) || char.ToUpperInvariant(c) != c)
            {
                return true;
            }
        }

        return false;
    }
}
