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
    public async Task The_stock_writer_changes_only_a_stock_that_is_still_as_expected_and_rolls_back_with_its_transaction()
    {
        await UpsertAsync("partner-stock-d", "STOCKD-1", 5);
        await UpsertAsync("partner-stock-d", "STOCKD-2", 8);
        var ids = await fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().Products.Where(p => p.Sku.StartsWith("STOCKD-"))
            .OrderBy(p => p.Sku).Select(p => p.Id).ToListAsync());

        // One unit of work, several writes through the one prepared command: each answers for itself.
        var outcomes = new List<bool>();
        await fixture.SendAsync<BuildingBlocks.Application.Result>(async sp =>
        {
            await using var stocks = sp.GetRequiredService<ICatalogDbContext>().OpenStockWriter();
            outcomes.Add(await stocks.SetIfUnchangedAsync(ids[0], expected: 5, stock: 7, default));        // as expected
            outcomes.Add(await stocks.SetIfUnchangedAsync(ids[0], expected: 5, stock: 9, default));        // stale: it is 7 now
            outcomes.Add(await stocks.SetIfUnchangedAsync(ids[1], expected: 8, stock: 0, default));        // another product
            outcomes.Add(await stocks.SetIfUnchangedAsync(Guid.NewGuid(), expected: 0, stock: 1, default)); // no such product
            return BuildingBlocks.Application.Result.Success();
        });

        outcomes.ShouldBe([true, false, true, false]);
        (await StocksAsync()).ShouldBe([7, 0]);

        // A unit of work that fails rolls its conditional writes back with everything else.
        await fixture.SendAsync<BuildingBlocks.Application.Result>(async sp =>
        {
            await using var stocks = sp.GetRequiredService<ICatalogDbContext>().OpenStockWriter();
            (await stocks.SetIfUnchangedAsync(ids[0], expected: 7, stock: 1, default)).ShouldBeTrue();
            return BuildingBlocks.Application.Result.Failure(BuildingBlocks.Application.Error.Conflict("test.rollback", "roll back"));
        });
        (await StocksAsync()).ShouldBe([7, 0]);

        // Several units of work on one pooled context in a row (the webhook worker retries a failed batch one delivery at a
        // time): each opens its own writer, and none finds another's command.
        for (var round = 0; round < 3; round++)
        {
            await fixture.SendAsync<BuildingBlocks.Application.Result>(async sp =>
            {
                await using var stocks = sp.GetRequiredService<ICatalogDbContext>().OpenStockWriter();
                (await stocks.SetIfUnchangedAsync(ids[1], expected: round, stock: round + 1, default)).ShouldBeTrue();
                return BuildingBlocks.Application.Result.Success();
            });
        }

        (await StocksAsync()).ShouldBe([7, 3]);

        Task<List<int>> StocksAsync() => fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().Products.AsNoTracking()
            .Where(p => p.Sku.StartsWith("STOCKD-")).OrderBy(p => p.Sku).Select(p => p.Stock).ToListAsync());
    }

    [Fact]
    public async Task A_stock_writer_refuses_a_later_transaction_and_outside_one_uses_efs_own_update()
    {
        await UpsertAsync("partner-stock-e", "STOCKE-1", 4);
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var id = await db.Products.Where(p => p.Sku == "STOCKE-1").Select(p => p.Id).SingleAsync();

        // Without a transaction there is no connection to keep a command on: each change is EF's conditional UPDATE.
        await using (var outside = db.OpenStockWriter())
        {
            (await outside.SetIfUnchangedAsync(id, expected: 4, stock: 6, default)).ShouldBeTrue();
            (await outside.SetIfUnchangedAsync(id, expected: 4, stock: 9, default)).ShouldBeFalse();
        }

        // A writer belongs to the transaction it was opened in: after that one ends it refuses to run in the next.
        await using (var first = await db.Database.BeginTransactionAsync())
        {
            await using var stocks = db.OpenStockWriter();
            (await stocks.SetIfUnchangedAsync(id, expected: 6, stock: 5, default)).ShouldBeTrue();
            await first.CommitAsync();
            await using var second = await db.Database.BeginTransactionAsync();
            await Should.ThrowAsync<InvalidOperationException>(() => stocks.SetIfUnchangedAsync(id, expected: 5, stock: 1, default));
        }

        (await db.Products.AsNoTracking().Where(p => p.Id == id).Select(p => p.Stock).SingleAsync()).ShouldBe(5);
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
