using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.FlashSales.Application.Abstractions;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Domain.Orders;
using Retail.Modules.Ordering.IntegrationTests;

namespace Retail.Modules.FlashSales.IntegrationTests;

/// <summary>
/// Issue 4 "Storm": 1,000 concurrent checkouts from 200 customers (5 each) for a sale of 100 units with a cap of 2.
/// The limits are set so every attempt reaches the claim (the limiters have their own tests): only the allocation,
/// the cap and the stock decide.
/// </summary>
public sealed class FlashStormTests
{
    private const int Customers = 200;
    private const int AttemptsPerCustomer = 5;
    private const int Allocation = 100;
    private const int Cap = 2;

    [Fact]
    public async Task A_thousand_buyers_for_a_hundred_units_sell_exactly_a_hundred_with_no_customer_above_the_cap()
    {
        await using var host = await OrderingTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Ordering:CheckoutRateLimit:PermitLimit"] = "100",
            ["FlashSales:PerUserSkuPermitLimit"] = "100",
            // The storm may queue at the gate as long as it needs: this test is about correctness, not refusals.
            ["Ordering:CheckoutGate:QueueTimeout"] = "00:10:00",
        });
        var sku = await host.CreateProductAsync(stock: 150, price: 30m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: Allocation, cap: Cap, flashPrice: 9.99m);
        var customers = Enumerable.Range(0, Customers).Select(_ => OrderingTestHost.NewUser()).ToList();

        var attempts = customers.SelectMany(c => Enumerable.Range(0, AttemptsPerCustomer).Select(_ => c)).ToList();
        var results = await Task.WhenAll(attempts.Select(c => Task.Run(() => host.PlaceOrderAsync(c, OrderingTestHost.Checkout(sku)))));
        await host.DeliverOrderingEventsAsync();

        var summary = string.Join(", ", results.GroupBy(r => r.IsSuccess ? "ok" : r.Error!.Code).Select(g => $"{g.Key}×{g.Count()}"));
        results.Count(r => r.IsSuccess).ShouldBe(Allocation, summary);
        results.Where(r => !r.IsSuccess).ShouldAllBe(r => r.Error!.Code == "flash.sold_out" || r.Error!.Code == "flash.cap_exceeded", summary);
        results.Where(r => r.IsSuccess).ShouldAllBe(r => r.Value.Order.Lines.Single().UnitPrice == 9.99m && !r.Value.PaymentPending);

        var item = await host.ItemAsync(sku);
        (item.Sold, item.Remaining).ShouldBe((Allocation, 0));
        (await host.StockOfAsync(sku)).ShouldBe(150 - Allocation);
        var purchases = await host.PurchasesAsync(item.Id);
        purchases.Sum(p => p.Quantity).ShouldBe(Allocation);
        purchases.ShouldAllBe(p => p.Quantity >= 0 && p.Quantity <= Cap);

        var orders = await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.AsNoTracking().Include(o => o.Lines).ToListAsync());
        var paid = orders.Where(o => o.Status == OrderStatus.Paid).ToList();
        paid.Count.ShouldBe(Allocation);
        paid.Sum(o => o.Lines.Sum(l => l.Quantity)).ShouldBe(Allocation);
        paid.GroupBy(o => o.CustomerId).ShouldAllBe(g => g.Sum(o => o.Lines.Sum(l => l.Quantity)) <= Cap);
        orders.Count.ShouldBe(Allocation, "a refused checkout stores no order");

        var claims = await host.ClaimsAsync(sku);
        claims.Where(c => c.ReleasedAt == null).Select(c => c.OrderId).Order().ShouldBe(paid.Select(o => o.Id).Order());
        claims.Where(c => c.ReleasedAt == null).ShouldAllBe(c => c.PaidAt != null);
        var openHolds = await host.QueryAsync(sp => sp.GetRequiredService<IFlashSalesDbContext>().Claims.CountAsync(c => c.PaidAt == null && c.ReleasedAt == null));
        openHolds.ShouldBe(0);
    }
}
