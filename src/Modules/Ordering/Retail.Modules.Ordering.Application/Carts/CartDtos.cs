using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Ordering.Application.Carts;

/// <param name="UnitPrice">What the line costs now: the flash price while the product is in a live flash sale.</param>
/// <param name="Available">False when the product is no longer sold or has fewer units than the line asks for.</param>
/// <param name="RegularPrice">Catalog's price (equal to <paramref name="UnitPrice"/> outside a flash sale).</param>
/// <param name="FlashSaleName">The live flash sale the price comes from, or null.</param>
/// <param name="FlashEndsAt">When that sale ends: after it, the regular price applies.</param>
public sealed record CartLineDto(
    string Sku,
    string Name,
    decimal UnitPrice,
    int Quantity,
    decimal LineTotal,
    int Stock,
    bool Available,
    decimal RegularPrice = 0m,
    string? FlashSaleName = null,
    DateTimeOffset? FlashEndsAt = null);

public sealed record CartDto(IReadOnlyList<CartLineDto> Lines, decimal Total, int ItemCount);

internal static class CartStock
{
    public static Error NotFound(string sku) => Error.NotFound("ordering.product_not_found", $"No product with SKU '{sku}'.");

    public static Error OutOfStock() => Error.Conflict("ordering.out_of_stock", UserMessages.OutOfStock);

    /// <summary>Checks a wanted quantity against Catalog's current stock: unknown → 404, not sold or too few → 409.</summary>
    public static async Task<Error?> CheckAsync(IRequestSender sender, string sku, int quantity, CancellationToken cancellationToken)
    {
        var products = await sender.Send(new GetProductsForCheckout([sku]), cancellationToken);
        if (!products.IsSuccess)
        {
            return products.Error;
        }

        var product = products.Value.SingleOrDefault();
        if (product is null)
        {
            return NotFound(sku);
        }

        return !product.IsActive || product.Stock < quantity ? OutOfStock() : null;
    }
}
