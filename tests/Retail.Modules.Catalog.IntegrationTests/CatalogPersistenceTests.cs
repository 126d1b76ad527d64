using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products.AdjustStock;
using Retail.Modules.Catalog.Application.Products.CreateProduct;
using Retail.Modules.Catalog.Application.Products.SearchProducts;
using Retail.Modules.Catalog.Application.Products.UpdateProduct;
using Retail.Modules.Catalog.Infrastructure.Persistence;
using Retail.Modules.Catalog.Infrastructure.Seeding;

namespace Retail.Modules.Catalog.IntegrationTests;

public sealed class CatalogPersistenceTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private async Task<string> CreateProductAsync(string sku, int stock, decimal price = 10m, string name = "Test product")
    {
        await EnsureCategoryAsync();
        var created = await fixture.SendAsync(sp => new CreateProductCommandHandler(sp.GetRequiredService<ICatalogDbContext>(), fixture.Time)
            .Handle(new CreateProductCommand(sku, name, "A product for tests", "testing", price, stock, ["/img/products/office.svg"]), default));
        created.IsSuccess.ShouldBeTrue(created.Error?.Message);
        return created.Value;
    }

    private async Task EnsureCategoryAsync()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        if (!await db.Categories.AnyAsync(c => c.Slug == "testing"))
        {
            db.Categories.Add(Domain.Categories.Category.Create("Testing"));
            await db.SaveChangesAsync();
        }
    }

    [Fact]
    public async Task Module_contexts_are_pooled_and_come_back_from_the_pool_clean()
    {
        // A fixture of its own, so its pool holds nothing but what this test returns to it.
        var own = new CatalogFixture();
        await own.InitializeAsync();
        try
        {
            CatalogDbContext first;
            await using (var scope = own.Services.CreateAsyncScope())
            {
                first = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
                first.Categories.Add(Domain.Categories.Category.Create("Never saved"));
                first.ChangeTracker.AutoDetectChangesEnabled = false;
                first.ChangeTracker.Entries().ShouldNotBeEmpty();
            }

            await using (var scope = own.Services.CreateAsyncScope())
            {
                var second = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
                second.ShouldBeSameAs(first, "the next scope leases the context the previous one returned to the pool");
                second.ChangeTracker.Entries().ShouldBeEmpty("what the previous scope left unsaved is gone");
                second.ChangeTracker.AutoDetectChangesEnabled.ShouldBeTrue("per-context settings are back to their defaults");
                (await second.Categories.CountAsync(c => c.Name == "Never saved")).ShouldBe(0);
            }
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    [Fact]
    public async Task Tables_carry_the_module_prefix_on_sqlite()
    {
        var tables = await fixture.QueryAsync(async sp =>
        {
            var db = sp.GetRequiredService<CatalogDbContext>();
            return await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table'").ToListAsync();
        });

        tables.ShouldContain("catalog_Products");
        tables.ShouldContain("catalog_OutboxMessages");
        tables.ShouldContain("catalog_InboxMessages");
        tables.ShouldContain("catalog_StockMovements");
        tables.ShouldContain("__catalog_migrations");
        tables.ShouldNotContain("Products");
    }

    [Fact]
    public async Task Creating_a_product_writes_the_product_and_its_ProductUpserted_event_in_one_transaction()
    {
        var sku = await CreateProductAsync("IT-CREATE-1", 7, 12.345m);

        var (product, outbox) = await fixture.QueryAsync(async sp =>
        {
            var db = sp.GetRequiredService<CatalogDbContext>();
            var p = await db.Products.SingleAsync(x => x.Sku == sku);
            var rows = await db.OutboxMessages.Where(m => m.Type == "catalog.product-upserted.v1" && m.Payload.Contains(sku)).ToListAsync();
            return (p, rows);
        });

        product.Price.ShouldBe(12.35m);
        product.Stock.ShouldBe(7);
        outbox.Count.ShouldBe(1);
        outbox[0].Payload.ShouldContain("\"categorySlug\":\"testing\"");
        outbox[0].ProcessedAt.ShouldBeNull();
    }

    [Fact]
    public async Task A_failed_command_writes_nothing()
    {
        await CreateProductAsync("IT-DUP-1", 1);

        var duplicate = await fixture.SendAsync(sp => new CreateProductCommandHandler(sp.GetRequiredService<ICatalogDbContext>(), fixture.Time)
            .Handle(new CreateProductCommand("it-dup-1", "Other", null, "testing", 1m, 1, null), default));

        duplicate.IsSuccess.ShouldBeFalse();
        duplicate.Error!.Code.ShouldBe("catalog.duplicate_sku");
        var count = await fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().OutboxMessages.CountAsync(m => m.Payload.Contains("IT-DUP-1")));
        count.ShouldBe(1);
    }

    [Fact]
    public async Task Parallel_stock_decrements_never_oversell_and_each_success_is_audited_and_published()
    {
        var sku = await CreateProductAsync("IT-RACE-1", 25);

        var attempts = Enumerable.Range(0, 60).Select(_ => fixture.SendAsync(sp =>
            new AdjustStockCommandHandler(sp.GetRequiredService<ICatalogDbContext>(), sp.GetRequiredService<ICurrentUser>(), fixture.Time)
                .Handle(new AdjustStockCommand(sku, -1, "sold"), default)));
        var results = await Task.WhenAll(attempts);

        results.Count(r => r.IsSuccess).ShouldBe(25);
        results.Where(r => !r.IsSuccess).ShouldAllBe(r => r.Error!.Code == "catalog.insufficient_stock");
        results.Where(r => r.IsSuccess).Select(r => r.Value).OrderBy(v => v).ShouldBe(Enumerable.Range(0, 25));
        var (stock, movements, events) = await fixture.QueryAsync(async sp =>
        {
            var db = sp.GetRequiredService<CatalogDbContext>();
            return (await db.Products.Where(p => p.Sku == sku).Select(p => p.Stock).SingleAsync(),
                await db.StockMovements.CountAsync(m => m.Sku == sku),
                await db.OutboxMessages.CountAsync(m => m.Type == "catalog.stock-changed.v1" && m.Payload.Contains(sku)));
        });
        stock.ShouldBe(0);
        movements.ShouldBe(25);
        events.ShouldBe(25);
    }

    [Fact]
    public async Task Stock_adjustment_records_who_why_and_the_stock_after()
    {
        var sku = await CreateProductAsync("IT-AUDIT-1", 3);

        var result = await fixture.SendAsync(sp =>
            new AdjustStockCommandHandler(sp.GetRequiredService<ICatalogDbContext>(), sp.GetRequiredService<ICurrentUser>(), fixture.Time)
                .Handle(new AdjustStockCommand(sku, 12, "  delivery 42  "), default));

        result.Value.ShouldBe(15);
        var movement = await fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().StockMovements.SingleAsync(m => m.Sku == sku));
        movement.Delta.ShouldBe(12);
        movement.StockAfter.ShouldBe(15);
        movement.Reason.ShouldBe("delivery 42");
        movement.Actor.ShouldBe("catalog@retail.local");
        movement.OccurredAt.ShouldBe(fixture.Time.GetUtcNow());
    }

    [Fact]
    public async Task A_stock_increase_past_the_largest_stock_is_refused_and_leaves_the_product_readable()
    {
        var sku = await CreateProductAsync("IT-OVERFLOW-1", 0);
        // 2,147 adjustments of the largest allowed +1,000,000 reach this; set directly so the test need not run them all.
        await fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().Products.Where(p => p.Sku == sku)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, 2_147_000_000)));

        var result = await fixture.SendAsync(sp =>
            new AdjustStockCommandHandler(sp.GetRequiredService<ICatalogDbContext>(), sp.GetRequiredService<ICurrentUser>(), fixture.Time)
                .Handle(new AdjustStockCommand(sku, 1_000_000, "delivery"), default));

        result.IsSuccess.ShouldBeFalse();
        result.Error!.Code.ShouldBe("catalog.stock_limit");
        var (stock, movements) = await fixture.QueryAsync(async sp =>
        {
            var db = sp.GetRequiredService<CatalogDbContext>();
            return (await db.Products.Where(p => p.Sku == sku).Select(p => p.Stock).SingleAsync(),
                await db.StockMovements.CountAsync(m => m.Sku == sku));
        });
        stock.ShouldBe(2_147_000_000);
        movements.ShouldBe(0);
    }

    [Fact]
    public async Task Updating_a_product_changes_details_but_never_stock()
    {
        var sku = await CreateProductAsync("IT-UPD-1", 9, 5m);

        var updated = await fixture.SendAsync(sp => new UpdateProductCommandHandler(sp.GetRequiredService<ICatalogDbContext>(), fixture.Time)
            .Handle(new UpdateProductCommand(sku, "Renamed", "New text", "testing", 6.5m, [], IsActive: false), default));

        updated.IsSuccess.ShouldBeTrue();
        var product = await fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().Products.AsNoTracking().SingleAsync(p => p.Sku == sku));
        product.Name.ShouldBe("Renamed");
        product.Price.ShouldBe(6.5m);
        product.IsActive.ShouldBeFalse();
        product.Stock.ShouldBe(9);
    }

    [Fact]
    public async Task Search_treats_like_wildcards_literally_and_orders_by_name()
    {
        await CreateProductAsync("IT-LIKE-1", 1, name: "Percent 100% cotton");
        await CreateProductAsync("IT-LIKE-2", 1, name: "Percent 100 linen");

        var result = await fixture.QueryAsync(async sp =>
            await new SearchProductsQueryHandler(sp.GetRequiredService<ICatalogDbContext>(), sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<HybridCache>()).Handle(new SearchProductsQuery("100%", null, 1, 10), default));

        result.Value.Items.Select(i => i.Sku).ShouldBe(["IT-LIKE-1"]);
    }

    [Fact]
    public async Task Money_keeps_four_decimals_and_sorts_in_sql_on_sqlite()
    {
        await CreateProductAsync("IT-MONEY-1", 1, 1000.01m, "Money sort A");
        await CreateProductAsync("IT-MONEY-2", 1, 999.99m, "Money sort B");

        var ordered = await fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().Products
            .Where(p => p.Name.StartsWith("Money sort")).OrderBy(p => p.Price).Select(p => p.Sku).ToListAsync());

        ordered.ShouldBe(["IT-MONEY-2", "IT-MONEY-1"]);
    }
}

public sealed class CatalogSeederTests : IAsyncLifetime
{
    private readonly CatalogFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task Demo_catalog_is_seeded_once_into_an_empty_database_only()
    {
        await _fixture.Services.SeedModulesAsync(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        await _fixture.Services.SeedModulesAsync(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

        var (products, categories, events) = await _fixture.QueryAsync(async sp =>
        {
            var db = sp.GetRequiredService<CatalogDbContext>();
            return (await db.Products.CountAsync(), await db.Categories.CountAsync(), await db.OutboxMessages.CountAsync());
        });
        products.ShouldBe(CatalogSeeder.DemoCategories.Count * CatalogSeeder.ProductsPerCategory);
        products.ShouldBeGreaterThanOrEqualTo(200);
        categories.ShouldBe(CatalogSeeder.DemoCategories.Count);
        events.ShouldBe(products);
    }

    [Fact]
    public async Task Demo_seed_can_be_switched_off()
    {
        var off = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Seed:Demo"] = "false" }).Build();

        await _fixture.Services.SeedModulesAsync(off);

        (await _fixture.QueryAsync(sp => sp.GetRequiredService<CatalogDbContext>().Products.CountAsync())).ShouldBe(0);
    }
}
