using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products.PartnerProducts;
using Retail.Modules.Catalog.Infrastructure.Persistence;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.IntegrationTests;

/// <summary>Stock webhooks applied in batches: each setting answered on its own, one event for the batch's changes.</summary>
public sealed class PartnerStockBatchTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private Task UpsertAsync(string partner, string sku, int stock) =>
        fixture.UpsertPartnerProductsAsync(partner, null, new PartnerProductRow(sku, "Stock batch " + sku, null, null, 10m, stock, null, null, null));

    private Task<BuildingBlocks.Application.Result<IReadOnlyList<PartnerStockResult>>> SetAsync(string partner, params PartnerStockSetting[] items) =>
        fixture.SendAsync(sp => new SetPartnerProductStocksHandler(sp.GetRequiredService<ICatalogDbContext>(), fixture.Time)
            .Handle(new SetPartnerProductStocks(partner, items), default));

    [Fact]
    public async Task Each_setting_is_applied_in_order_or_refused_alone_and_the_changes_leave_as_one_event()
    {
        await UpsertAsync("partner-stock-a", "STOCKB-1", 5);
        await UpsertAsync("partner-stock-a", "STOCKB-2", 4);
        await UpsertAsync("partner-stock-b", "STOCKB-3", 9);

        var result = await SetAsync("partner-stock-a",
            new("STOCKB-1", 7, "webhook d1"),
            new("stockb-2", 4, "webhook d2"),    // already 4: settled, no movement
            new("STOCKB-3", 1, "webhook d3"),    // another partner's product
            new("STOCKB-404", 1, "webhook d4"),  // no such product
            new("STOCKB-1", 2, "webhook d5"));   // the same SKU again, after d1

        result.Value.Select(r => (r.Sku, r.StockAfter, r.ErrorCode)).ShouldBe(
        [
            ("STOCKB-1", 7, null), ("STOCKB-2", 4, null), ("STOCKB-3", null, "catalog.product_not_found"),
            ("STOCKB-404", null, "catalog.product_not_found"), ("STOCKB-1", 2, null),
        ]);
        var (stocks, movements) = await fixture.QueryAsync(async sp =>
        {
            var db = sp.GetRequiredService<CatalogDbContext>();
            var stocks = await db.Products.Where(p => p.Sku.StartsWith("STOCKB-")).OrderBy(p => p.Sku).Select(p => p.Stock).ToListAsync();
            var movements = await db.StockMovements.Where(m => m.Sku.StartsWith("STOCKB-")).OrderBy(m => m.Reason).Select(m => new { m.Sku, m.Delta, m.Reason }).ToListAsync();
            return (stocks, movements.Select(m => (m.Sku, m.Delta, m.Reason)).ToList());
        });
        var events = await fixture.BatchEventsAsync("webhook d");
        stocks.ShouldBe([2, 4, 9]);
        movements.ShouldBe([("STOCKB-1", 2, "webhook d1"), ("STOCKB-1", -5, "webhook d5")]);
        events.Count.ShouldBe(1);
        events[0].Products.ShouldBeEmpty();
        events[0].StockChanges.Select(c => (c.Sku, c.Delta, c.StockAfter)).ShouldBe([("STOCKB-1", 2, 7), ("STOCKB-1", -5, 2)]);
    }

    [Fact]
    public async Task Settings_that_change_nothing_publish_nothing()
    {
        await UpsertAsync("partner-stock-c", "STOCKC-1", 3);

        var result = await SetAsync("partner-stock-c", new PartnerStockSetting("STOCKC-1", 3, "webhook same"));

        result.Value.Single().StockAfter.ShouldBe(3);
        var events = await fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().OutboxMessages.CountAsync(m => m.Payload.Contains("webhook same")));
        events.ShouldBe(0);
    }

    [Fact]
    public void The_validator_refuses_an_empty_or_oversized_batch_and_bad_settings()
    {
        var validator = new SetPartnerProductStocksValidator();

        validator.Validate(new SetPartnerProductStocks("p", [])).IsValid.ShouldBeFalse();
        validator.Validate(new SetPartnerProductStocks("p", [.. Enumerable.Range(0, SetPartnerProductStocks.MaxItems + 1).Select(i => new PartnerStockSetting($"S-{i}", 1, "r"))])).IsValid.ShouldBeFalse();
        validator.Validate(new SetPartnerProductStocks("p", [new("S-1", -1, "r")])).IsValid.ShouldBeFalse();
        validator.Validate(new SetPartnerProductStocks("", [new("S-1", 1, "r")])).IsValid.ShouldBeFalse();
        validator.Validate(new SetPartnerProductStocks("p", [new("S-1", 1, "r")])).IsValid.ShouldBeTrue();
    }
}
