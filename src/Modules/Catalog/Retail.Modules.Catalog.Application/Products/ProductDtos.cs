namespace Retail.Modules.Catalog.Application.Products;

public sealed record ProductSummaryDto(string Sku, string Name, string Category, string CategorySlug, decimal Price, int Stock, string? ImageUrl, bool IsActive);

/// <param name="Version">The product's concurrency token: send it back with an edit (a stale one is answered 409 "reload").</param>
public sealed record ProductDetailDto(
    string Sku,
    string Name,
    string Description,
    string Category,
    string CategorySlug,
    Guid CategoryId,
    decimal Price,
    int Stock,
    IReadOnlyList<string> ImageUrls,
    bool IsActive,
    DateTimeOffset UpdatedAt,
    int Version);

public sealed record StockMovementDto(int Delta, int StockAfter, string Reason, string Actor, DateTimeOffset OccurredAt);

public sealed record CategoryDto(Guid Id, string Name, string Slug, int ProductCount);
