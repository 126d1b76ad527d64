using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.Modules.Catalog.IntegrationEvents;

/// <summary>
/// One product row of a partner feed, already validated and sanitized by the Partners module.
/// <see cref="Category"/> is a category name or slug; unknown or empty goes to the "Partner products" category.
/// </summary>
public sealed record PartnerProductRow(
    string Sku,
    string Name,
    string? Description,
    string? Category,
    decimal Price,
    int Stock,
    string? Brand,
    string? Gtin,
    string? ImageUrl);

/// <summary>
/// Creates or updates a batch of a partner's products in one Catalog transaction (callers send at most
/// <see cref="MaxRows"/> rows per call). A row equal to what is stored changes nothing and counts as unchanged, so
/// re-sending a feed writes nothing. A SKU that belongs to the shop or to another partner is refused for that row only.
/// With a <see cref="BatchKey"/> (the feed job and its first row), a batch sent again answers with its first result and
/// changes nothing, so a job resumed after a crash reports the counts of its first attempt.
/// </summary>
public sealed record UpsertPartnerProducts(string PartnerId, IReadOnlyList<PartnerProductRow> Rows, string? BatchKey = null) : ICommand<PartnerUpsertResult>
{
    public const int MaxRows = 1000;
}

/// <param name="Refused">Rows Catalog refused (SKU owned by someone else), by SKU with the reason.</param>
public sealed record PartnerUpsertResult(int Created, int Updated, int Unchanged, IReadOnlyList<PartnerRowRefusal> Refused);

public sealed record PartnerRowRefusal(string Sku, string Code, string Message);

/// <summary>The SKUs of the partner's products that are currently sold (for full-feed deactivation).</summary>
public sealed record GetActivePartnerSkus(string PartnerId) : IQuery<IReadOnlyList<string>>;

/// <summary>Stops selling the listed products of the partner (a full feed no longer lists them). Returns how many changed.</summary>
public sealed record DeactivatePartnerProducts(string PartnerId, IReadOnlyList<string> Skus) : ICommand<int>;

/// <summary>
/// Sets the stock of the partner's products to absolute quantities (stock webhooks, applied in batches) in one Catalog
/// transaction: each setting in the order given, through one conditional UPDATE recorded as a stock movement, and
/// answered on its own — a SKU that is not the partner's answers <c>catalog.product_not_found</c> without failing the
/// others. The changes leave as one <see cref="ProductBatchChanged"/> event. At most <see cref="MaxItems"/> per call.
/// </summary>
public sealed record SetPartnerProductStocks(string PartnerId, IReadOnlyList<PartnerStockSetting> Items) : ICommand<IReadOnlyList<PartnerStockResult>>
{
    public const int MaxItems = 500;
}

public sealed record PartnerStockSetting(string Sku, int Stock, string Reason);

/// <summary>The outcome of one setting: <see cref="StockAfter"/> when applied, else the error code and message.</summary>
public sealed record PartnerStockResult(string Sku, int? StockAfter, string? ErrorCode, string? ErrorMessage)
{
    public bool Applied => StockAfter is not null;
}
