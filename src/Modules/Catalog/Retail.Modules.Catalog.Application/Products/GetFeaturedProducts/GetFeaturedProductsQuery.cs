using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Caching;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Abstractions;

namespace Retail.Modules.Catalog.Application.Products.GetFeaturedProducts;

/// <summary>The home page's featured products: the most recently updated in-stock active products, one per category first.</summary>
public sealed record GetFeaturedProductsQuery(int Count = 8) : IQuery<IReadOnlyList<ProductSummaryDto>>;

public sealed class GetFeaturedProductsQueryHandler(IServiceScopeFactory scopes, HybridCache cache) : IQueryHandler<GetFeaturedProductsQuery, IReadOnlyList<ProductSummaryDto>>
{
    private static readonly HybridCacheEntryOptions CacheFor = new() { Expiration = TimeSpan.FromMinutes(5), LocalCacheExpiration = TimeSpan.FromSeconds(30) };

    public async ValueTask<Result<IReadOnlyList<ProductSummaryDto>>> Handle(GetFeaturedProductsQuery query, CancellationToken cancellationToken)
    {
        var count = Math.Clamp(query.Count, 1, 24);
        var featured = await cache.GetOrLoadAsync<ICatalogDbContext, List<ProductSummaryDto>>(
            scopes,
            $"catalog:featured:{count}",
            async (db, ct) =>
            {
                var candidates = await (from p in db.Products.AsNoTracking()
                                        join c in db.Categories.AsNoTracking() on p.CategoryId equals c.Id
                                        where p.IsActive && p.Stock > 0
                                        orderby p.UpdatedAt descending
                                        select new { p.Sku, p.Name, Category = c.Name, c.Slug, p.Price, p.Stock, p.ImageUrls, p.IsActive })
                                        .Take(count * 10)
                                        .ToListAsync(ct);
                var onePerCategory = candidates.GroupBy(c => c.Slug).Select(g => g.First());
                return onePerCategory.Concat(candidates).Distinct().Take(count)
                    .Select(i => new ProductSummaryDto(i.Sku, i.Name, i.Category, i.Slug, i.Price, i.Stock, i.ImageUrls.FirstOrDefault(), i.IsActive))
                    .ToList();
            },
            CacheFor,
            [CatalogModule.CacheTag],
            cancellationToken);
        return featured;
    }
}
