using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.Application.Products.GetProductsForCheckout;

public sealed class GetProductsForCheckoutValidator : AbstractValidator<IntegrationEvents.GetProductsForCheckout>
{
    public const int MaxSkus = 200;

    public GetProductsForCheckoutValidator()
    {
        RuleFor(q => q.Skus).NotNull().Must(s => s is null || s.Count <= MaxSkus).WithMessage($"At most {MaxSkus} SKUs.");
    }
}

/// <summary>Current name, price, sale state and stock of the given SKUs (ADR 0004 public query for checkout and cart).</summary>
public sealed class GetProductsForCheckoutHandler(ICatalogDbContext db) : IQueryHandler<IntegrationEvents.GetProductsForCheckout, IReadOnlyList<CheckoutProductDto>>
{
    public async ValueTask<Result<IReadOnlyList<CheckoutProductDto>>> Handle(IntegrationEvents.GetProductsForCheckout query, CancellationToken cancellationToken)
    {
        var skus = query.Skus.Select(Skus.Normalize).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (skus.Count == 0)
        {
            return Result.Success<IReadOnlyList<CheckoutProductDto>>([]);
        }

        var products = await db.Products.AsNoTracking()
            .Where(p => skus.Contains(p.Sku))
            .Select(p => new CheckoutProductDto(p.Sku, p.Name, p.Price, p.IsActive, p.Stock))
            .ToListAsync(cancellationToken);
        return Result.Success<IReadOnlyList<CheckoutProductDto>>(products);
    }
}
