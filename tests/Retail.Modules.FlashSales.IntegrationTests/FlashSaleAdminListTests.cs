using Retail.BuildingBlocks.Application;
using Retail.Modules.FlashSales.Application.Sales;
using Retail.Modules.Ordering.IntegrationTests;

namespace Retail.Modules.FlashSales.IntegrationTests;

/// <summary>SPEC U: "lists are paged and searchable" — the back office's list of flash sales.</summary>
public sealed class FlashSaleAdminListTests
{
    [Fact]
    public async Task The_list_of_sales_is_paged_newest_window_first_and_searchable_by_name_or_sku_in_any_case()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var now = host.Time.GetUtcNow();
        var skus = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var sku = await host.CreateProductAsync(stock: 10, price: 20m);
            skus.Add(sku);
            var created = await host.SendAsAsync<Result<Guid>>(FlashTestSupport.Admin, new CreateFlashSaleCommand(
                $"{(i == 1 ? "Garden" : "Kitchen")} days {i}", now.AddDays(i), now.AddDays(i).AddHours(1), [new FlashSaleItemInput(sku, 5m, null, 5, 1)]));
            created.IsSuccess.ShouldBeTrue();
        }

        var first = (await ListAsync(host, new GetFlashSalesQuery(PageSize: 2))).Value;
        var second = (await ListAsync(host, new GetFlashSalesQuery(Page: 2, PageSize: 2))).Value;
        var byName = (await ListAsync(host, new GetFlashSalesQuery(Search: " garden "))).Value;
        var bySku = (await ListAsync(host, new GetFlashSalesQuery(Search: skus[2].ToLowerInvariant()))).Value;
        var nothing = (await ListAsync(host, new GetFlashSalesQuery(Search: "'; DROP TABLE flashsales_Sales; --"))).Value;
        var badPage = await ListAsync(host, new GetFlashSalesQuery(Page: 0));

        first.TotalCount.ShouldBe(3);
        first.Items.Select(s => s.Name).ShouldBe(["Kitchen days 2", "Garden days 1"]);
        second.Items.Select(s => s.Name).ShouldBe(["Kitchen days 0"]);
        byName.Items.Select(s => s.Name).ShouldBe(["Garden days 1"]);
        byName.TotalCount.ShouldBe(1);
        bySku.Items.Select(s => s.Name).ShouldBe(["Kitchen days 2"]);
        nothing.TotalCount.ShouldBe(0);
        badPage.Error!.Kind.ShouldBe(ErrorKind.Validation);
        (await ListAsync(host, new GetFlashSalesQuery())).Value.TotalCount.ShouldBe(3, "a search changes nothing");
    }

    private static Task<Result<PagedResult<FlashSaleSummaryDto>>> ListAsync(OrderingTestHost host, GetFlashSalesQuery query) =>
        host.SendAsAsync<Result<PagedResult<FlashSaleSummaryDto>>>(FlashTestSupport.Admin, query);
}
