using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Caching;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products;

namespace Retail.Modules.Catalog.Application.Categories.GetCategories;

/// <summary>All categories with their count of active products; cached (every page header shows them).</summary>
public sealed record GetCategoriesQuery : IQuery<IReadOnlyList<CategoryDto>>;

public sealed class GetCategoriesQueryHandler(IServiceScopeFactory scopes, HybridCache cache) : IQueryHandler<GetCategoriesQuery, IReadOnlyList<CategoryDto>>
{
    private static readonly HybridCacheEntryOptions CacheFor = new() { Expiration = TimeSpan.FromMinutes(5), LocalCacheExpiration = TimeSpan.FromSeconds(30) };

    public async ValueTask<Result<IReadOnlyList<CategoryDto>>> Handle(GetCategoriesQuery query, CancellationToken cancellationToken) =>
        await CachedAsync(scopes, cache, cancellationToken);

    /// <summary>
    /// The categories with their active products counted, from the cache (also the storefront search's totals: counting a
    /// large catalog's products is a scan of them all). Product changes drop it; stock changes do not
    /// (<see cref="CatalogModule.AssortmentCacheTag"/>).
    /// </summary>
    internal static async ValueTask<List<CategoryDto>> CachedAsync(IServiceScopeFactory scopes, HybridCache cache, CancellationToken cancellationToken) =>
        await cache.GetOrLoadAsync<ICatalogDbContext, List<CategoryDto>>(
            scopes,
            "catalog:categories",
            async (db, ct) => await db.Categories.AsNoTracking()
                .OrderBy(c => c.Name)
                .Select(c => new CategoryDto(c.Id, c.Name, c.Slug, db.Products.Count(p => p.CategoryId == c.Id && p.IsActive)))
                .ToListAsync(ct),
            CacheFor,
            [CatalogModule.AssortmentCacheTag],
            cancellationToken);
}
