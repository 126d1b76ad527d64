namespace Retail.Host.FunctionalTests.Infrastructure;

// The JSON the API promises (web casing), declared here so a renamed field breaks a test.

public sealed record AccessTokenResponse(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);

public sealed record ProductItem(string Sku, string Name, string Category, string CategorySlug, decimal Price, int Stock, string? ImageUrl, bool IsActive);

public sealed record ProductPage(List<ProductItem> Items, int Page, int PageSize, int TotalCount);

public sealed record ProductDetail(string Sku, string Name, string Description, string Category, string CategorySlug, decimal Price, int Stock, List<string> ImageUrls, bool IsActive);

public sealed record CategoryItem(Guid Id, string Name, string Slug, int ProductCount);

public sealed record StockLevel(string Sku, int Stock);

public sealed record StockMovementItem(int Delta, int StockAfter, string Reason, string Actor, DateTimeOffset OccurredAt);

public sealed record StockMovementPage(List<StockMovementItem> Items, int Page, int PageSize, int TotalCount);

public sealed record UserInfo(string Email, bool IsEmailConfirmed);
