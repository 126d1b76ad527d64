using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.FlashSales.IntegrationEvents;
using Retail.Modules.Ordering.Application.Abstractions;

namespace Retail.Modules.Ordering.Application.Carts.GetCart;

/// <summary>The signed-in customer's cart with Catalog's current names, prices and stock.</summary>
[Authenticated]
public sealed record GetCartQuery : IQuery<CartDto>;

public sealed class GetCartQueryHandler(IOrderingDbContext db, IRequestSender sender, ICurrentUser user) : IQueryHandler<GetCartQuery, CartDto>
{
    public async ValueTask<Result<CartDto>> Handle(GetCartQuery query, CancellationToken cancellationToken)
    {
        var customerId = user.UserId!;
        var lines = await db.Carts.AsNoTracking().Where(c => c.CustomerId == customerId)
            .SelectMany(c => c.Lines).Select(l => new { l.Sku, l.Quantity }).ToListAsync(cancellationToken);
        if (lines.Count == 0)
        {
            return new CartDto([], 0m, 0);
        }

        var products = await sender.Send(new GetProductsForCheckout([.. lines.Select(l => l.Sku)]), cancellationToken);
        if (!products.IsSuccess)
        {
            return products.Error;
        }

        // Flash prices from the cached listing are for showing only; checkout claims the flash units and locks the price.
        var offers = await sender.Send(new GetFlashOffers([.. lines.Select(l => l.Sku)]), cancellationToken);
        var offerBySku = offers.IsSuccess ? offers.Value.ToDictionary(o => o.Sku, StringComparer.Ordinal) : [];
        var bySku = products.Value.ToDictionary(p => p.Sku, StringComparer.Ordinal);
        var dtos = lines.OrderBy(l => l.Sku, StringComparer.Ordinal).Select(l =>
        {
            var p = bySku.GetValueOrDefault(l.Sku);
            var regular = p?.Price ?? 0m;
            var offer = offerBySku.GetValueOrDefault(l.Sku);
            var price = offer is null ? regular : Math.Min(offer.FlashPrice, regular);
            return new CartLineDto(l.Sku, p?.Name ?? l.Sku, price, l.Quantity, price * l.Quantity, p?.Stock ?? 0, p is { IsActive: true } && p.Stock >= l.Quantity,
                regular, offer?.SaleName, offer?.EndsAt);
        }).ToList();
        return new CartDto(dtos, dtos.Where(d => d.Available).Sum(d => d.LineTotal), dtos.Sum(d => d.Quantity));
    }
}
