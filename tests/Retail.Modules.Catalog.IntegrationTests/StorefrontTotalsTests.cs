using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.Modules.Catalog.Application.Caching;
using Retail.Modules.Catalog.Application.Categories.GetCategories;
using Retail.Modules.Catalog.Application.Products;
using Retail.Modules.Catalog.Application.Products.SearchProducts;
using Retail.Modules.Catalog.Domain.Categories;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.Infrastructure.Persistence;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.IntegrationTests;

/// <summary>
/// The storefront's listing without a search term takes its total from the cached category counts instead of counting
/// the products on every page (a scan of them all: ~100 ms at a million products); a search still counts its matches.
/// The counts stay cached through stock changes (a flash sale, stock webhooks) and are dropped when a product changes.
/// </summary>
public sealed class StorefrontTotalsTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    [Fact]
    public async Task A_listing_without_a_search_gets_its_total_from_the_category_counts_and_a_search_counts()
    {
        await SeedAsync("Totals", active: 3, inactive: 1);
        await SeedAsync("Others", active: 2, inactive: 0);

        (await SearchAsync(null, "totals")).TotalCount.ShouldBe(3);
        (await SearchAsync(null, null)).TotalCount.ShouldBe(
            await fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().Products.CountAsync(p => p.IsActive)));
        (await SearchAsync(null, "no-such-category")).TotalCount.ShouldBe(0);

        var plans = fixture.QueryPlans.Record();
        var listed = await SearchAsync(null, "totals");
        listed.Items.Count.ShouldBe(3);
        listed.TotalCount.ShouldBe(3);
        plans.ShouldNotContain(p => p.Sql.Contains("COUNT(", StringComparison.OrdinalIgnoreCase), "the total came from the cached counts");

        plans = fixture.QueryPlans.Record();
        (await SearchAsync("Totals 1", null)).TotalCount.ShouldBe(1);
        plans.ShouldContain(p => p.Sql.Contains("COUNT(", StringComparison.OrdinalIgnoreCase), "a search counts its own matches");
    }

    [Fact]
    public async Task Stock_changes_keep_the_category_counts_and_product_changes_drop_them()
    {
        await SeedAsync("Kept", active: 1, inactive: 0);
        var invalidate = new InvalidateCatalogCacheHandler(fixture.Services.GetRequiredService<HybridCache>());
        await CountsAsync();
        var now = fixture.Time.GetUtcNow();
        var product = Guid.NewGuid();

        await invalidate.Handle(new StockChanged(Guid.NewGuid(), now, product, "KEPT-0", -1, 4, "order"), default);
        await invalidate.Handle(new ProductBatchChanged(Guid.NewGuid(), now, [], [new ProductStockChange(product, "KEPT-0", -1, 3, "webhook")]), default);
        (await LoadsAsync()).ShouldBe(0, "stock changes leave the counts cached");

        await invalidate.Handle(new ProductUpserted(Guid.NewGuid(), now, product, "KEPT-0", "Kept 0", "kept", 10m, 3, IsActive: false), default);
        (await LoadsAsync()).ShouldBe(1, "a changed product is counted again");
        (await LoadsAsync()).ShouldBe(0, "and kept again");

        await invalidate.Handle(new ProductBatchChanged(Guid.NewGuid(), now, [new ProductSnapshot(product, "KEPT-0", "Kept 0", "kept", 10m, 3, false)], []), default);
        (await LoadsAsync()).ShouldBe(1, "so is a batch that changed products");
    }

    private async Task SeedAsync(string category, int active, int inactive)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var created = Category.Create(category);
        db.Categories.Add(created);
        for (var i = 0; i < active + inactive; i++)
        {
            db.Products.Add(Product.Create(
                new ProductDetails($"{category} {i}", "for totals", created.Id, 10m, [], IsActive: i < active), $"{category.ToUpperInvariant()}-{i}", 5, fixture.Time.GetUtcNow()));
        }

        await db.SaveChangesAsync();
        // The counts were cached before these products existed (another test's listing): as the product events would.
        await new InvalidateCatalogCacheHandler(scope.ServiceProvider.GetRequiredService<HybridCache>())
            .Handle(new ProductUpserted(Guid.NewGuid(), fixture.Time.GetUtcNow(), Guid.NewGuid(), "X", "x", "x", 1m, 1, true), default);
        fixture.Time.Advance(TimeSpan.FromSeconds(1)); // HybridCache's clock: what is cached next is newer than the removal
    }

    private Task<PagedResult<ProductSummaryDto>> SearchAsync(string? search, string? category) =>
        fixture.QueryAsync(async sp => (await ActivatorUtilities.CreateInstance<SearchProductsQueryHandler>(sp)
            .Handle(new SearchProductsQuery(search, category, 1, 24), default)).Value);

    private Task<List<CategoryDto>> CountsAsync() =>
        fixture.QueryAsync(async sp => await GetCategoriesQueryHandler.CachedAsync(
            sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<HybridCache>(), default));

    /// <summary>Reads the category counts and says how many times that went to the database.</summary>
    private async Task<int> LoadsAsync()
    {
        fixture.Time.Advance(TimeSpan.FromSeconds(1)); // after any removal, on HybridCache's clock
        var plans = fixture.QueryPlans.Record();
        await CountsAsync();
        return plans.Count(p => p.Sql.Contains("COUNT(", StringComparison.OrdinalIgnoreCase));
    }
}
