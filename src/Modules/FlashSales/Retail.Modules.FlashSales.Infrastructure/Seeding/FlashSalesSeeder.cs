using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.FlashSales.Domain.Sales;
using Retail.Modules.FlashSales.Infrastructure.Persistence;

namespace Retail.Modules.FlashSales.Infrastructure.Seeding;

/// <summary>
/// Demo data: one live sale (a week long, from first start) and one upcoming sale, over demo products that the tests
/// and docs do not use for regular-price examples.
/// </summary>
internal sealed class FlashSalesSeeder(FlashSalesDbContext db, IRequestSender sender, TimeProvider time, ILogger<FlashSalesSeeder> logger) : IModuleSeeder
{
    public static readonly IReadOnlyList<string> LiveSkus = ["EL-0021", "HK-0021", "SP-0021", "TY-0021", "BT-0021", "OF-0021"];
    public static readonly IReadOnlyList<string> UpcomingSkus = ["BK-0021", "GD-0021"];

    public int Order => 30;

    public async Task SeedAsync(bool includeDemoData, CancellationToken cancellationToken)
    {
        if (!includeDemoData || await db.Sales.AnyAsync(cancellationToken))
        {
            return;
        }

        var products = await sender.Send(new GetProductsForCheckout([.. LiveSkus, .. UpcomingSkus]), cancellationToken);
        if (!products.IsSuccess || products.Value.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        List<FlashSaleItemSpec> Specs(IEnumerable<string> skus, int percentOff) =>
            [.. products.Value.Where(p => skus.Contains(p.Sku) && p.IsActive).Select(p => new FlashSaleItemSpec(
                p.Sku, p.Name, p.Price, FlashPrice.Percent(percentOff), Math.Clamp(p.Stock, 1, 40), 2))];

        var live = Specs(LiveSkus, 30);
        if (live.Count > 0)
        {
            db.Sales.Add(FlashSale.Create("Week of deals", start, start.AddDays(7), live, now));
        }

        var upcoming = Specs(UpcomingSkus, 40);
        if (upcoming.Count > 0)
        {
            db.Sales.Add(FlashSale.Create("Weekend garden & books", start.AddDays(2), start.AddDays(3), upcoming, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Seeded demo flash sales: {Live} live and {Upcoming} upcoming products", live.Count, upcoming.Count);
    }
}
