using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products.PartnerProducts;
using Retail.Modules.Catalog.Infrastructure.Persistence;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.IntegrationTests;

/// <summary>A partner feed batch leaves Catalog as one ProductBatchChanged event, never one event per product.</summary>
public sealed class PartnerBatchEventTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private static PartnerProductRow Row(string sku, string name, decimal price, int stock) =>
        new(sku, name, "From the batch test", "Batch testing", price, stock, "Acme", null, null);

    private Task<BuildingBlocks.Application.Result<PartnerUpsertResult>> UpsertAsync(string partner, params PartnerProductRow[] rows) =>
        UpsertKeyedAsync(partner, null, rows);

    private Task<BuildingBlocks.Application.Result<PartnerUpsertResult>> UpsertKeyedAsync(string partner, string? batchKey, params PartnerProductRow[] rows) =>
        fixture.UpsertPartnerProductsAsync(partner, batchKey, rows);

    private Task<List<ProductBatchChanged>> BatchEventsAsync(string skuPrefix) => fixture.BatchEventsAsync(skuPrefix);

    [Fact]
    public async Task A_batch_of_new_products_publishes_one_event_with_every_product_and_no_single_events()
    {
        var rows = Enumerable.Range(1, 300).Select(i => Row($"BATCH-NEW-{i}", $"Batch product {i}", 10m + i, i)).ToArray();

        var result = await UpsertAsync("partner-batch-1", rows);

        result.Value.Created.ShouldBe(300);
        var events = await BatchEventsAsync("BATCH-NEW-");
        events.Count.ShouldBe(1);
        events[0].Products.Count.ShouldBe(300);
        events[0].StockChanges.ShouldBeEmpty();
        var first = events[0].Products.Single(p => p.Sku == "BATCH-NEW-7");
        (first.Name, first.Price, first.Stock, first.IsActive, first.CategorySlug).ShouldBe(("Batch product 7", 17m, 7, true, "partner-products"));
        var singles = await fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().OutboxMessages
            .CountAsync(m => (m.Type == "catalog.product-upserted.v1" || m.Type == "catalog.stock-changed.v1") && m.Payload.Contains("BATCH-NEW-")));
        singles.ShouldBe(0);
    }

    [Fact]
    public async Task Changes_carry_the_new_details_and_stock_and_unchanged_rows_publish_nothing()
    {
        await UpsertAsync("partner-batch-2", Row("BATCH-CHG-1", "Lamp", 20m, 5), Row("BATCH-CHG-2", "Desk", 90m, 2), Row("BATCH-CHG-3", "Chair", 40m, 9));

        fixture.Time.Advance(TimeSpan.FromSeconds(1));

        // 1: new price and stock; 2: only stock; 3: unchanged.
        var result = await UpsertAsync("partner-batch-2", Row("BATCH-CHG-1", "Lamp", 22m, 8), Row("BATCH-CHG-2", "Desk", 90m, 0), Row("BATCH-CHG-3", "Chair", 40m, 9));

        (result.Value.Created, result.Value.Updated, result.Value.Unchanged).ShouldBe((0, 2, 1));
        var events = await BatchEventsAsync("BATCH-CHG-");
        events.Count.ShouldBe(2);
        var change = events[1];
        change.Products.Select(p => p.Sku).ShouldBe(["BATCH-CHG-1"]);
        (change.Products[0].Price, change.Products[0].Stock).ShouldBe((22m, 8));
        change.StockChanges.OrderBy(c => c.Sku).Select(c => (c.Sku, c.Delta, c.StockAfter)).ShouldBe([("BATCH-CHG-1", 3, 8), ("BATCH-CHG-2", -2, 0)]);
        var (stock, movements) = await fixture.QueryAsync(async sp =>
        {
            var db = sp.GetRequiredService<CatalogDbContext>();
            return (await db.Products.Where(p => p.Sku == "BATCH-CHG-2").Select(p => p.Stock).SingleAsync(),
                await db.StockMovements.CountAsync(m => m.Sku.StartsWith("BATCH-CHG-")));
        });
        stock.ShouldBe(0);
        movements.ShouldBe(2);

        await UpsertAsync("partner-batch-2", Row("BATCH-CHG-1", "Lamp", 22m, 8));
        (await BatchEventsAsync("BATCH-CHG-")).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_keyed_batch_sent_again_answers_its_first_result_and_changes_nothing()
    {
        PartnerProductRow[] rows = [Row("BATCH-KEY-1", "Vase", 12m, 3), Row("BATCH-KEY-2", "Bowl", 8m, 4)];
        var first = await UpsertKeyedAsync("partner-batch-4", "job-1:1", rows);

        // The same batch after a crash, with one row edited meanwhile: the first answer, nothing written or published.
        var again = await UpsertKeyedAsync("partner-batch-4", "job-1:1", [Row("BATCH-KEY-1", "Vase", 99m, 3), rows[1]]);
        var unkeyed = await UpsertAsync("partner-batch-4", rows);

        (first.Value.Created, first.Value.Updated, first.Value.Unchanged).ShouldBe((2, 0, 0));
        (again.Value.Created, again.Value.Updated, again.Value.Unchanged).ShouldBe((2, 0, 0));
        (unkeyed.Value.Created, unkeyed.Value.Unchanged).ShouldBe((0, 2));
        var price = await fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().Products.Where(p => p.Sku == "BATCH-KEY-1").Select(p => p.Price).SingleAsync());
        price.ShouldBe(12m);
        (await BatchEventsAsync("BATCH-KEY-")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Deactivating_a_full_feeds_missing_products_publishes_one_event_per_chunk()
    {
        await UpsertAsync("partner-batch-3", Row("BATCH-OFF-1", "Mug", 5m, 1), Row("BATCH-OFF-2", "Cup", 4m, 1));

        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var deactivated = await fixture.SendAsync(sp => new DeactivatePartnerProductsHandler(sp.GetRequiredService<ICatalogDbContext>(), fixture.Time)
            .Handle(new DeactivatePartnerProducts("partner-batch-3", ["batch-off-1", "BATCH-OFF-2", "BATCH-OFF-404"]), default));

        deactivated.Value.ShouldBe(2);
        var events = await BatchEventsAsync("BATCH-OFF-");
        events.Count.ShouldBe(2);
        events[1].Products.ShouldAllBe(p => !p.IsActive);
        events[1].Products.Count.ShouldBe(2);
    }
}
