using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.FlashSales.Application;
using Retail.Modules.FlashSales.Application.Checkout;
using Retail.Modules.FlashSales.IntegrationEvents;
using Retail.Modules.Ordering.IntegrationTests;
using Retail.Testing;

namespace Retail.Modules.FlashSales.IntegrationTests;

/// <summary>A customer's first flash purchase of an item, twice at once: the per-customer row is inserted once, the cap holds, no 500.</summary>
public sealed class FlashPurchaseRaceTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Ordering:CheckoutRateLimit:PermitLimit"] = "100",
        ["FlashSales:PerUserSkuPermitLimit"] = "100",
    };

    [Fact]
    public async Task Two_first_purchases_of_one_customer_at_once_both_count_against_one_purchase_row()
    {
        var race = new AfterFirstReadOf("flashsales_Purchases");
        await using var host = await OrderingTestHost.StartAsync(Settings, services => services.AddSingleton<IInterceptor>(race));
        var (sku, itemId) = await LiveItemAsync(host, cap: 2);
        var buyer = OrderingTestHost.NewUser();

        var (first, second) = await RaceFirstPurchasesAsync(host, race, sku, buyer, firstQuantity: 1, secondQuantity: 1);

        race.Fired.ShouldBe(1);
        first.IsSuccess.ShouldBeTrue();
        second.IsSuccess.ShouldBeTrue(second.IsSuccess ? "" : second.Error.Message);
        (await host.PurchasesAsync(itemId)).Single().Quantity.ShouldBe(2);
        (await host.ClaimsAsync(sku)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task The_loser_of_two_first_purchases_is_refused_over_the_cap_and_the_cap_holds()
    {
        var race = new AfterFirstReadOf("flashsales_Purchases");
        await using var host = await OrderingTestHost.StartAsync(Settings, services => services.AddSingleton<IInterceptor>(race));
        var (sku, itemId) = await LiveItemAsync(host, cap: 2);
        var buyer = OrderingTestHost.NewUser();

        var (first, second) = await RaceFirstPurchasesAsync(host, race, sku, buyer, firstQuantity: 2, secondQuantity: 1);

        race.Fired.ShouldBe(1);
        first.IsSuccess.ShouldBeTrue();
        second.IsSuccess.ShouldBeFalse();
        second.Error!.Code.ShouldBe("flash.cap_exceeded");
        second.Error.Kind.ShouldBe(ErrorKind.Unprocessable);
        (await host.PurchasesAsync(itemId)).Single().Quantity.ShouldBe(2);
    }

    private static async Task<(string Sku, Guid ItemId)> LiveItemAsync(OrderingTestHost host, int cap)
    {
        var sku = await host.CreateProductAsync(stock: 20, price: 20m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: 10, cap: cap, flashPrice: 10m);
        return (sku, (await host.ItemAsync(sku)).Id);
    }

    /// <summary>
    /// The claim handler of two scopes (two DbContexts on the one SQLite file), each saved as the unit of work would. The
    /// second reads "no purchase row"; the first then claims and commits; then the second goes on and saves. The handlers
    /// run outside a transaction here because SQLite's single write lock would otherwise order them one after the other
    /// (on SQL Server both transactions can be past that read at once).
    /// </summary>
    private static async Task<(Result<IReadOnlyList<FlashClaimedLine>> First, Result<IReadOnlyList<FlashClaimedLine>> Second)> RaceFirstPurchasesAsync(
        OrderingTestHost host, AfterFirstReadOf race, string sku, string buyer, int firstQuantity, int secondQuantity)
    {
        Result<IReadOnlyList<FlashClaimedLine>>? first = null;
        race.Competitor = async () => first = await ClaimAndSaveAsync(host, sku, buyer, firstQuantity, arm: null);
        var second = await ClaimAndSaveAsync(host, sku, buyer, secondQuantity, arm: race);
        return (first.ShouldNotBeNull(), second);
    }

    private static async Task<Result<IReadOnlyList<FlashClaimedLine>>> ClaimAndSaveAsync(OrderingTestHost host, string sku, string buyer, int quantity, AfterFirstReadOf? arm)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(FlashSalesModule.Name);
        if (arm is not null)
        {
            arm.Armed = db;
        }

        var handler = ActivatorUtilities.CreateInstance<ClaimFlashAllocationHandler>(scope.ServiceProvider);
        var result = await handler.Handle(new ClaimFlashAllocation(Guid.NewGuid(), buyer, [new FlashClaimLine(sku, quantity, 20m)]), CancellationToken.None);
        if (result.IsSuccess)
        {
            await db.SaveChangesAsync();
        }

        return result;
    }
}
