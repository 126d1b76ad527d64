using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products.PartnerProducts;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.Infrastructure.Persistence;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.IntegrationTests;

/// <summary>
/// The partner batch path (untracked read of the batch's products, set-based insert of the new ones, only changed
/// products tracked) keeps every outcome of the per-entity path: counts, refusals, stored fields and audit times,
/// stock movements, one batch event, and the keyed replay.
/// </summary>
public sealed class PartnerBatchPathTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private static PartnerProductRow Row(string sku, string name = "Desk lamp", decimal price = 20m, int stock = 5, string? image = "https://img.example/lamp.jpg") =>
        new(sku, name, "Warm light", "Lighting", price, stock, "Acme", "4006381333931", image);

    private Task<Result<PartnerUpsertResult>> UpsertAsync(string partner, string? batchKey, params PartnerProductRow[] rows) =>
        fixture.UpsertPartnerProductsAsync(partner, batchKey, rows);

    private Task<Dictionary<string, Product>> ProductsAsync(string skuPrefix) =>
        fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().Products.AsNoTracking().Where(p => p.Sku.StartsWith(skuPrefix)).ToDictionaryAsync(p => p.Sku));

    private Task<List<StockMovement>> MovementsAsync(string skuPrefix) =>
        fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().StockMovements.AsNoTracking().Where(m => m.Sku.StartsWith(skuPrefix)).OrderBy(m => m.Sku).ToListAsync());

    private Task<List<ProductBatchChanged>> BatchEventsAsync(string skuPrefix) => fixture.BatchEventsAsync(skuPrefix);

    [Fact]
    public async Task A_mixed_batch_counts_creates_updates_and_refuses_exactly_as_the_rows_say()
    {
        await UpsertAsync("partner-other", null, Row("MIX-OTHER"));
        await UpsertAsync("partner-mix", null, Row("MIX-SAME"), Row("MIX-DETAILS"), Row("MIX-STOCK", stock: 5), Row("MIX-BOTH", stock: 5));
        var createdAt = fixture.Time.GetUtcNow();
        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        var now = fixture.Time.GetUtcNow();

        var result = await UpsertAsync("partner-mix", "job-mix:1",
            Row("MIX-SAME"),
            Row("MIX-DETAILS", name: "Desk lamp XL", price: 24.5m),
            Row("MIX-STOCK", stock: 9),
            Row("MIX-BOTH", price: 21m, stock: 2),
            Row("mix-new-1", image: null),
            Row("MIX-NEW-2", price: 7.125m, stock: 0),
            Row("MIX-OTHER", name: "Taken over"),
            Row("MIX-NEW-1", name: "Listed twice"));

        result.IsSuccess.ShouldBeTrue();
        (result.Value.Created, result.Value.Updated, result.Value.Unchanged).ShouldBe((2, 3, 1));
        result.Value.Refused.Select(r => (r.Sku, r.Code)).ShouldBe([("MIX-OTHER", "sku_owned_elsewhere"), ("MIX-NEW-1", "duplicate_sku")]);

        var products = await ProductsAsync("MIX-");
        var fresh = products["MIX-NEW-1"];
        (fresh.Name, fresh.Description, fresh.Price, fresh.Stock, fresh.PartnerId, fresh.Brand, fresh.Gtin, fresh.IsActive).ShouldBe(
            ("Desk lamp", "Warm light", 20m, 5, "partner-mix", "Acme", "4006381333931", true));
        fresh.ImageUrls.ShouldBeEmpty();
        (fresh.CreatedAt, fresh.UpdatedAt).ShouldBe((now, now));
        (products["MIX-NEW-2"].Price, products["MIX-NEW-2"].Stock).ShouldBe((7.13m, 0));
        products["MIX-NEW-2"].ImageUrls.ShouldBe(["https://img.example/lamp.jpg"]);
        products["MIX-NEW-2"].CategoryId.ShouldBe(products["MIX-SAME"].CategoryId);

        (products["MIX-SAME"].UpdatedAt, products["MIX-SAME"].CreatedAt).ShouldBe((createdAt, createdAt));
        (products["MIX-DETAILS"].Name, products["MIX-DETAILS"].Price, products["MIX-DETAILS"].UpdatedAt, products["MIX-DETAILS"].CreatedAt).ShouldBe(("Desk lamp XL", 24.5m, now, createdAt));
        (products["MIX-STOCK"].Stock, products["MIX-STOCK"].UpdatedAt).ShouldBe((9, createdAt));
        (products["MIX-BOTH"].Price, products["MIX-BOTH"].Stock, products["MIX-BOTH"].UpdatedAt).ShouldBe((21m, 2, now));
        (await ProductsAsync("MIX-OTHER")).Single().Value.Name.ShouldBe("Desk lamp");

        var movements = await MovementsAsync("MIX-");
        movements.Select(m => (m.Sku, m.Delta, m.StockAfter, m.Reason, m.Actor, m.OccurredAt)).ShouldBe(
            [("MIX-BOTH", -3, 2, "partner feed partner-mix", "partner", now), ("MIX-STOCK", 4, 9, "partner feed partner-mix", "partner", now)]);

        var batch = (await BatchEventsAsync("MIX-NEW-")).ShouldHaveSingleItem();
        batch.Products.Select(p => p.Sku).Order().ShouldBe(["MIX-BOTH", "MIX-DETAILS", "MIX-NEW-1", "MIX-NEW-2"]);
        batch.Products.Single(p => p.Sku == "MIX-BOTH").Stock.ShouldBe(2);
        batch.Products.Single(p => p.Sku == "MIX-NEW-1").CategorySlug.ShouldBe("partner-products"); // "Lighting" is not a category here
        batch.StockChanges.Select(c => (c.Sku, c.Delta, c.StockAfter)).Order().ShouldBe([("MIX-BOTH", -3, 2), ("MIX-STOCK", 4, 9)]);
    }

    [Fact]
    public async Task Replaying_a_mixed_batch_key_answers_the_first_result_and_writes_nothing()
    {
        await UpsertAsync("partner-replay", null, Row("RPL-OLD", stock: 1));
        PartnerProductRow[] rows = [Row("RPL-OLD", price: 30m, stock: 3), Row("RPL-NEW"), Row("RPL-NEW", name: "again")];
        var first = await UpsertAsync("partner-replay", "job-replay:1", rows);

        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var again = await UpsertAsync("partner-replay", "job-replay:1", [Row("RPL-OLD", price: 99m, stock: 7), Row("RPL-NEW", price: 1m), Row("RPL-NEW-2")]);

        again.Value.ShouldBeEquivalentTo(first.Value);
        (first.Value.Created, first.Value.Updated, first.Value.Refused.Count).ShouldBe((1, 1, 1));
        var products = await ProductsAsync("RPL-");
        products.Keys.Order().ShouldBe(["RPL-NEW", "RPL-OLD"]);
        (products["RPL-OLD"].Price, products["RPL-OLD"].Stock).ShouldBe((30m, 3));
        products["RPL-NEW"].Price.ShouldBe(20m);
        (await MovementsAsync("RPL-")).Count.ShouldBe(1);
        (await BatchEventsAsync("RPL-NEW")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Only_the_changed_products_of_a_batch_are_tracked()
    {
        await UpsertAsync("partner-track", null, Row("TRK-1"), Row("TRK-2"), Row("TRK-3"));

        var tracked = await fixture.QueryAsync(async sp =>
        {
            var db = sp.GetRequiredService<CatalogDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var handler = ActivatorUtilities.CreateInstance<UpsertPartnerProductsHandler>(sp, fixture.Time);
            var result = await handler.Handle(new UpsertPartnerProducts("partner-track", [Row("TRK-1"), Row("TRK-2", name: "Renamed"), Row("TRK-3", stock: 8), Row("TRK-4")]), default);
            result.Value.ShouldBe(new PartnerUpsertResult(1, 2, 1, []), new PartnerResultComparer());
            return db.ChangeTracker.Entries<Product>().Select(e => (e.Entity.Sku, e.State)).ToList();
        });

        tracked.ShouldBe([("TRK-2", EntityState.Modified)]);
    }

    [Fact]
    public async Task Both_insert_strategies_store_every_column_as_EF_would()
    {
        var now = fixture.Time.GetUtcNow().AddTicks(123_456);
        var details = new ProductDetails(" Oak shelf ", "Solid oak", Guid.NewGuid(), 149.995m, ["https://img.example/a.jpg", "/img/b.svg"], IsActive: true);
        Product[] prepared = [Product.CreateForPartner(details, "ins-prep-1", 3, "partner-ins", "Oakly", null, now), Product.CreateForPartner(details with { ImageUrls = [] }, "INS-PREP-2", 0, "partner-ins", null, "12345678", now)];
        Product[] multiRow = [.. Enumerable.Range(1, MultiRowInsert.MaxRowsPerStatement + 3).Select(i => Product.CreateForPartner(details, $"INS-MULTI-{i}", i, "partner-ins", "Oakly", null, now))];
        Product[] tracked = [Product.CreateForPartner(details, "INS-EF-1", 3, "partner-ins", "Oakly", null, now)];

        await fixture.QueryAsync(async sp =>
        {
            var db = sp.GetRequiredService<CatalogDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await MultiRowInsert.InsertAsync(db, prepared, InsertStrategy.PreparedRows, default);
            await MultiRowInsert.InsertAsync(db, multiRow, InsertStrategy.MultiRowValues, default);
            db.Products.AddRange(tracked);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return true;
        });

        var stored = await ProductsAsync("INS-");
        stored.Count.ShouldBe(2 + multiRow.Length + 1);
        var reference = stored["INS-EF-1"];
        foreach (var product in prepared.Concat(multiRow))
        {
            var row = stored[product.Sku];
            (row.Id, row.Name, row.Description, row.CategoryId, row.Price, row.Stock, row.IsActive, row.PartnerId, row.Brand, row.Gtin, row.CreatedAt, row.UpdatedAt)
                .ShouldBe((product.Id, "Oak shelf", "Solid oak", details.CategoryId, 150.00m, product.Stock, true, "partner-ins", product.Brand, product.Gtin, now, now));
            row.ImageUrls.ShouldBe(product.ImageUrls);
            (row.Price, row.CreatedAt).ShouldBe((reference.Price, reference.CreatedAt));
        }

        stored["INS-PREP-2"].ImageUrls.ShouldBeEmpty();
        stored["INS-PREP-2"].Brand.ShouldBeNull();
    }

    private sealed class PartnerResultComparer : IEqualityComparer<PartnerUpsertResult>
    {
        public bool Equals(PartnerUpsertResult? x, PartnerUpsertResult? y) =>
            x is not null && y is not null && (x.Created, x.Updated, x.Unchanged, x.Refused.Count) == (y.Created, y.Updated, y.Unchanged, y.Refused.Count);

        public int GetHashCode(PartnerUpsertResult obj) => obj.Created;
    }
}
