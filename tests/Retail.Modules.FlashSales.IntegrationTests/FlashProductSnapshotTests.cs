using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.FlashSales.Application.Abstractions;
using Retail.Modules.FlashSales.Application.Events;
using Retail.Modules.Ordering.IntegrationTests;

namespace Retail.Modules.FlashSales.IntegrationTests;

/// <summary>Sales keep the product name and regular price in step with Catalog, from single and batch events alike.</summary>
public sealed class FlashProductSnapshotTests
{
    [Fact]
    public async Task A_partner_batch_updates_the_sale_items_it_names_and_leaves_the_others()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var onSale = await host.CreateProductAsync(stock: 10, price: 40m);
        var other = await host.CreateProductAsync(stock: 10, price: 30m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(onSale, now.AddMinutes(5), now.AddHours(1), allocation: 5, cap: 1, flashPrice: 20m);
        await host.CreateSaleAsync(other, now.AddMinutes(5), now.AddHours(1), allocation: 5, cap: 1, flashPrice: 10m);

        ProductSnapshot[] products =
        [
            new(Guid.NewGuid(), onSale, "Renamed by the feed", "partner-products", 44m, 10, true),
            new(Guid.NewGuid(), "NOT-ON-SALE-1", "Elsewhere", "partner-products", 1m, 1, true),
        ];
        await host.QueryAsync(async sp =>
        {
            await new FlashProductSnapshotHandler(sp.GetRequiredService<IFlashSalesDbContext>(), host.Time)
                .Handle(new ProductBatchChanged(Guid.NewGuid(), now, products, []), default);
            return true;
        });

        var item = await host.ItemAsync(onSale);
        (item.ProductName, item.RegularPrice).ShouldBe(("Renamed by the feed", 44m));
        (await host.ItemAsync(other)).RegularPrice.ShouldBe(30m);
    }
}
