using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products.PartnerProducts;
using Retail.Modules.Catalog.Application.Products.ReleaseStock;
using Retail.Modules.Catalog.Application.Products.ReserveStock;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.Infrastructure.Persistence;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Catalog.IntegrationTests;

/// <summary>
/// Every path that adds to a product's stock, on a product near the most its int column holds. The admin's adjustment is
/// refused past it (CatalogPersistenceTests); stock coming back from elsewhere (a released reservation, a return) is
/// not a request anyone can retry differently, so it is put back up to the ceiling, and never stored past it.
/// </summary>
public sealed class StockCeilingTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private const int Max = StockAdjustmentRules.MaxStock;

    private async Task<string> PartnerProductAsync(string sku, int stock)
    {
        var upserted = await fixture.UpsertPartnerProductsAsync("partner-ceiling", null, new PartnerProductRow(sku, "Ceiling " + sku, null, null, 10m, stock, null, null, null));
        upserted.IsSuccess.ShouldBeTrue(upserted.Error?.Message);
        return sku;
    }

    private Task SetStockDirectlyAsync(string sku, int stock) =>
        fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().Products.Where(p => p.Sku == sku)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, stock)));

    private Task<(int Stock, List<(int Delta, int StockAfter, string Reason)> Movements)> StockAndMovementsAsync(string sku) =>
        fixture.QueryAsync(async sp =>
        {
            var db = sp.GetRequiredService<CatalogDbContext>();
            var stock = await db.Products.Where(p => p.Sku == sku).Select(p => p.Stock).SingleAsync();
            var movements = await db.StockMovements.Where(m => m.Sku == sku).OrderBy(m => m.StockAfter)
                .Select(m => new { m.Delta, m.StockAfter, m.Reason }).ToListAsync();
            return (stock, movements.Select(m => (m.Delta, m.StockAfter, m.Reason)).ToList());
        });

    [Fact]
    public async Task A_released_reservation_puts_stock_back_up_to_the_ceiling_and_the_product_stays_readable()
    {
        var sku = await PartnerProductAsync("CEIL-REL-1", 10);
        var orderId = Guid.NewGuid();
        var reserved = await fixture.SendAsync(sp => ActivatorUtilities.CreateInstance<ReserveStockHandler>(sp, fixture.Time)
            .Handle(new ReserveStock(orderId, [new StockLine(sku, 4)]), default));
        reserved.IsSuccess.ShouldBeTrue(reserved.Error?.Message);
        // Meanwhile the stock was topped up to one below the ceiling (the admin's adjustment allows up to it).
        await SetStockDirectlyAsync(sku, Max - 1);

        var released = await fixture.SendAsync(sp => ActivatorUtilities.CreateInstance<ReleaseStockHandler>(sp, fixture.Time)
            .Handle(new ReleaseStock(orderId, "payment failed"), default));
        var again = await fixture.SendAsync(sp => ActivatorUtilities.CreateInstance<ReleaseStockHandler>(sp, fixture.Time)
            .Handle(new ReleaseStock(orderId, "payment failed"), default));

        released.IsSuccess.ShouldBeTrue(released.Error?.Message);
        again.IsSuccess.ShouldBeTrue("a repeat of a release is a no-op, so Ordering stops asking");
        var (stock, movements) = await StockAndMovementsAsync(sku);
        stock.ShouldBe(Max);
        var release = movements.Where(m => m.Reason.Contains("released", StringComparison.Ordinal)).ShouldHaveSingleItem();
        release.Delta.ShouldBe(1, "the movement records what was put back, not what was asked for");
        release.StockAfter.ShouldBe(Max);
        var releasedAt = await fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().StockReservations
            .Where(r => r.OrderId == orderId).Select(r => r.ReleasedAt).SingleAsync());
        releasedAt.ShouldNotBeNull();
        fixture.Log.Entries.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains(sku, StringComparison.Ordinal)
            && e.Message.Contains("3 units", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_returns_restock_past_the_ceiling_is_delivered_once_with_the_stock_capped_and_the_other_lines_restocked()
    {
        var full = await PartnerProductAsync("CEIL-RET-1", 0);
        var normal = await PartnerProductAsync("CEIL-RET-2", 7);
        await SetStockDirectlyAsync(full, Max - 2);
        var restock = new ReturnRestockRequested(Guid.NewGuid(), fixture.Time.GetUtcNow(), Guid.NewGuid(), "RMA-CEIL-1",
            [new RestockLine(full, 5), new RestockLine(normal, 3)]);

        await fixture.DeliverAsync(restock);

        var (fullStock, fullMovements) = await StockAndMovementsAsync(full);
        fullStock.ShouldBe(Max);
        fullMovements.Where(m => m.Reason.Contains("RMA-CEIL-1", StringComparison.Ordinal)).ShouldBe([(2, Max, "return RMA-CEIL-1 restocked")]);
        var (normalStock, _) = await StockAndMovementsAsync(normal);
        normalStock.ShouldBe(10);
        var (inbox, outbox) = await fixture.QueryAsync(async sp =>
        {
            var db = sp.GetRequiredService<CatalogDbContext>();
            return (await db.InboxMessages.CountAsync(m => m.EventId == restock.EventId),
                await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == restock.EventId));
        });
        inbox.ShouldBe(1, "the event is handled once, not retried until it is dead-lettered");
        outbox.ProcessedAt.ShouldNotBeNull();
        outbox.Attempts.ShouldBe(0, outbox.LastError);
        fixture.Log.Entries.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains(full, StringComparison.Ordinal)
            && e.Message.Contains("3 units", StringComparison.Ordinal) && e.Message.Contains("RMA-CEIL-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Partner_stock_is_set_not_added_so_repeated_webhooks_never_climb_past_their_one_million_cap()
    {
        var sku = await PartnerProductAsync("CEIL-PARTNER-1", 5);
        await SetStockDirectlyAsync(sku, Max);

        for (var i = 0; i < 3; i++)
        {
            var set = await fixture.SendAsync(sp => new SetPartnerProductStocksHandler(sp.GetRequiredService<ICatalogDbContext>(), fixture.Time)
                .Handle(new SetPartnerProductStocks("partner-ceiling", [new PartnerStockSetting(sku, StockAdjustmentRules.MaxDelta, $"webhook {i}")]), default));
            set.Value.ShouldHaveSingleItem().StockAfter.ShouldBe(StockAdjustmentRules.MaxDelta);
        }

        await fixture.UpsertPartnerProductsAsync("partner-ceiling", null, new PartnerProductRow(sku, "Ceiling " + sku, null, null, 10m, StockAdjustmentRules.MaxDelta, null, null, null));
        var (stock, _) = await StockAndMovementsAsync(sku);
        stock.ShouldBe(StockAdjustmentRules.MaxDelta);
    }
}
