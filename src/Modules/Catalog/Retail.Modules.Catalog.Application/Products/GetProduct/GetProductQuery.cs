using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.Application.Abstractions;

namespace Retail.Modules.Catalog.Application.Products.GetProduct;

/// <summary>One active product by SKU, as the shop shows it.</summary>
public sealed record GetProductQuery(string Sku) : IQuery<ProductDetailDto>;

/// <summary>One product by SKU for the back office, active or not.</summary>
[AuthorizeRoles(Roles.CatalogAdmin, Roles.Warehouse)]
public sealed record GetProductForAdminQuery(string Sku) : IQuery<ProductDetailDto>;

public sealed class GetProductQueryHandler(ICatalogDbContext db) :
    IQueryHandler<GetProductQuery, ProductDetailDto>,
    IQueryHandler<GetProductForAdminQuery, ProductDetailDto>
{
    public static Error NotFound(string sku) => Error.NotFound("catalog.product_not_found", $"No product with SKU '{sku}'.");

    public ValueTask<Result<ProductDetailDto>> Handle(GetProductQuery query, CancellationToken cancellationToken) =>
        FindAsync(query.Sku, includeInactive: false, cancellationToken);

    public ValueTask<Result<ProductDetailDto>> Handle(GetProductForAdminQuery query, CancellationToken cancellationToken) =>
        FindAsync(query.Sku, includeInactive: true, cancellationToken);

    private async ValueTask<Result<ProductDetailDto>> FindAsync(string requestedSku, bool includeInactive, CancellationToken cancellationToken)
    {
        var sku = Skus.Normalize(requestedSku);
        var row = await (from p in db.Products.AsNoTracking()
                         join c in db.Categories.AsNoTracking() on p.CategoryId equals c.Id
                         where p.Sku == sku && (includeInactive || p.IsActive)
                         select new { p, c }).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return NotFound(requestedSku);
        }

        var product = row.p;
        return new ProductDetailDto(product.Sku, product.Name, product.Description, row.c.Name, row.c.Slug, product.CategoryId, product.Price, product.Stock, product.ImageUrls, product.IsActive, product.UpdatedAt, product.Version);
    }
}
