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

    public async ValueTask<Result<IReadOnlyList<CategoryDto>>> Handle(GetCategoriesQuery query, CancellationToken cancellationToken)
    {
        var categories = await cache.GetOrLoadAsync<ICatalogDbContext, List<CategoryDto>>(
            scopes,
            "catalog:categories",
            async (db, ct) => await db.Categories.AsNoTracking()
                .OrderBy(c => c.Name)
                .Select(c => new CategoryDto(c.Id, c.Name, c.Slug, db.Products.Count(p => p.CategoryId == c.Id && p.IsActive)))
                .ToListAsync(ct),
            CacheFor,
            [CatalogModule.CacheTag],
            cancellationToken);
        return categories;
    }
}
