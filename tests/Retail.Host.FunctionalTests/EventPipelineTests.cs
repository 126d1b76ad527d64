using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>
/// Integration events through the real pipeline: a change commits its outbox row, the post-commit nudge delivers it
/// (no Hangfire server runs in these tests), and the subscriber drops the cached catalog reads.
/// </summary>
public sealed class EventPipelineTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    private const string ProductUpserted = "catalog.product-upserted.v1";
    private const string StockChanged = "catalog.stock-changed.v1";

    [Fact]
    public async Task Editing_a_product_writes_a_product_upserted_outbox_row_that_is_then_delivered()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, price: 30m, name: "Outbox Watering Can");
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        var saved = await AppClient.PostFormAsync(browser, $"/admin/catalog/edit/{sku}", new Dictionary<string, string>
        {
            ["Input.Sku"] = sku,
            ["Input.Name"] = "Outbox Watering Can",
            ["Input.Category"] = "garden",
            ["Input.Price"] = "31.50",
            ["Input.IsActive"] = "true",
        });
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var rows = await Eventually.WaitForAsync(
            () => OutboxRowsAsync(ProductUpserted, sku),
            found => found.Count == 2 && found.All(m => m.ProcessedAt is not null),
            $"both {ProductUpserted} rows of {sku} (create, edit) to be delivered");

        var edit = rows.OrderBy(m => m.OccurredAt).Last();
        edit.Payload.ShouldContain("\"price\":31.5");
        edit.Attempts.ShouldBe(0);
        edit.LastError.ShouldBeNull();
        edit.DeadLetteredAt.ShouldBeNull();
        using var scope = factory.Services.CreateScope();
        var catalog = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>("catalog");
        (await catalog.InboxMessages.AsNoTracking().CountAsync(i => i.EventId == edit.Id)).ShouldBe(1, "the subscriber recorded the event once");
    }

    [Fact]
    public async Task A_stock_adjustment_writes_a_stock_changed_event_that_is_delivered()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, stock: 5);

        (await catalogApi.PostAsJsonAsync($"/api/catalog/products/{sku}/stock-adjustments", new { delta = 2, reason = "event test" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var rows = await Eventually.WaitForAsync(
            () => OutboxRowsAsync(StockChanged, sku),
            found => found.Count == 1 && found[0].ProcessedAt is not null,
            $"the {StockChanged} row of {sku} to be delivered");
        rows[0].Payload.ShouldContain("\"stockAfter\":7");
    }

    [Fact]
    public async Task Deactivating_a_product_updates_the_cached_category_counts_and_featured_products()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, category: "beauty", stock: 50, name: "Cache Check Soap");
        await Eventually.WaitForAsync(() => OutboxRowsAsync(ProductUpserted, sku), r => r.Count == 1 && r[0].ProcessedAt is not null, "the create event");

        // Warm the caches with the product in them.
        var before = (await CatalogApi.GetCategoriesAsync(catalogApi)).Single(c => c.Slug == "beauty").ProductCount;
        (await browser.GetStringAsync("/")).ShouldContain($"/catalog/product/{sku}", customMessage: "the newest product of its category is featured");
        (await CatalogApi.GetCategoriesAsync(catalogApi)).Single(c => c.Slug == "beauty").ProductCount.ShouldBe(before, "served from the cache");

        var saved = await AppClient.PostFormAsync(browser, $"/admin/catalog/edit/{sku}", new Dictionary<string, string>
        {
            ["Input.Sku"] = sku,
            ["Input.Name"] = "Cache Check Soap",
            ["Input.Category"] = "beauty",
            ["Input.Price"] = "19.99",
            ["Input.IsActive"] = "false",
        });
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await Eventually.WaitForAsync(
            () => OutboxRowsAsync(ProductUpserted, sku),
            rows => rows.Count == 2 && rows.All(m => m.ProcessedAt is not null),
            "the deactivation event to be delivered");
        (await CatalogApi.GetCategoriesAsync(catalogApi)).Single(c => c.Slug == "beauty").ProductCount.ShouldBe(before - 1);
        (await browser.GetStringAsync("/")).ShouldNotContain($"/catalog/product/{sku}");
        (await catalogApi.GetAsync($"/api/catalog/products/{sku}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_outbox_has_no_failed_or_dead_lettered_rows_after_normal_traffic()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi);
        await Eventually.WaitForAsync(() => OutboxRowsAsync(ProductUpserted, sku), r => r.Count == 1 && r[0].ProcessedAt is not null, "the create event");

        using var scope = factory.Services.CreateScope();
        var catalog = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>("catalog");
        (await catalog.OutboxMessages.AsNoTracking().CountAsync(m => m.DeadLetteredAt != null || m.LastError != null)).ShouldBe(0);
    }

    private async Task<List<OutboxMessage>> OutboxRowsAsync(string type, string sku)
    {
        using var scope = factory.Services.CreateScope();
        var catalog = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>("catalog");
        var needle = $"\"sku\":\"{sku}\"";
        return await catalog.OutboxMessages.AsNoTracking()
            .Where(m => m.Type == type && m.Payload.Contains(needle))
            .ToListAsync();
    }
}
