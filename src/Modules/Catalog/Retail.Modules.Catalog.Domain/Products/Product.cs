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

    public static Product Create(ProductDetails details, string sku, int initialStock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        CheckRule(new SkuMustBeWellFormedRule(sku));
        CheckRule(new StockCannotBeNegativeRule(initialStock));
        var product = new Product
        {
            Id = Guid.NewGuid(),
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

    /// <summary>SKUs are compared case-insensitively; they are stored upper-case.</summary>
    public static string Normalize(string sku) => (sku ?? "").Trim().ToUpperInvariant();

    public static bool IsWellFormed(string? sku)
    {
        var value = Normalize(sku ?? "");
        return value.Length is > 0 and <= MaxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
    }
}
