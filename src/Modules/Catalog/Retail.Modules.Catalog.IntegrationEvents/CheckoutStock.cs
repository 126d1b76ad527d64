using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.Modules.Catalog.IntegrationEvents;

/// <summary>
/// What checkout needs to know about products: current price, name, whether it is sold and how many are in stock.
/// SKUs that do not exist are left out of the answer.
/// </summary>
public sealed record GetProductsForCheckout(IReadOnlyList<string> Skus) : IQuery<IReadOnlyList<CheckoutProductDto>>;

/// <summary>
/// Which of the SKUs are not products (normalized: trimmed, upper-case). The checkout validator's existence check; cheap on
/// the checkout path because an existing SKU is remembered (products are never deleted).
/// </summary>
public sealed record FindUnknownSkus(IReadOnlyList<string> Skus) : IQuery<IReadOnlyList<string>>;

public sealed record CheckoutProductDto(string Sku, string Name, decimal Price, bool IsActive, int Stock);

/// <param name="Sku">Product SKU (case-insensitive).</param>
/// <param name="Quantity">Units to hold, at least 1.</param>
public sealed record StockLine(string Sku, int Quantity);

/// <summary>
/// Holds stock for an order, all or nothing: one conditional decrement per line inside Catalog's transaction; when any
/// line is short (or the product is not sold) nothing changes and the answer is 409 <c>ordering.out_of_stock</c>.
/// Idempotent per order: a second reservation for the same order is a successful no-op.
/// </summary>
public sealed record ReserveStock(Guid OrderId, IReadOnlyList<StockLine> Lines) : ICommand;

/// <summary>Puts back what <see cref="ReserveStock"/> held for the order, exactly once; a repeat is a successful no-op.</summary>
public sealed record ReleaseStock(Guid OrderId, string Reason) : ICommand;
