namespace Retail.Modules.Catalog.Application.Products;

public sealed record ProductSummaryDto(string Sku, string Name, string Category, string CategorySlug, decimal Price, int Stock, string? ImageUrl, bool IsActive);

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
    DateTimeOffset UpdatedAt);

public sealed record StockMovementDto(int Delta, int StockAfter, string Reason, string Actor, DateTimeOffset OccurredAt);

public sealed record CategoryDto(Guid Id, string Name, string Slug, int ProductCount);
