using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.Modules.FlashSales.Application.Listing;
using Retail.Modules.FlashSales.Application.Sales;
using Retail.Modules.Ordering.IntegrationTests;

namespace Retail.Modules.FlashSales.IntegrationTests;

/// <summary>SPEC P1 / issue 4 "Listing": cached, stampede-safe, at most one query per 30 s, invalidated by an edit.</summary>
public sealed class FlashListingCacheTests
{
    private const int ConcurrentRequests = 500;

    [Fact]
    public async Task Five_hundred_concurrent_readers_every_second_for_sixty_seconds_cause_one_query_per_thirty_seconds()
    {
        var counter = new ListingQueryCounter();
        await using var host = await OrderingTestHost.StartAsync(configure: s => s.AddSingleton<IInterceptor>(counter));
        var sku = await host.CreateProductAsync(stock: 100, price: 50m);
        host.AlignToListingPeriod();
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(sku, now, now.AddHours(2), allocation: 40, cap: 2, percentOff: 10);
        // HybridCache dates tag invalidations by the same (fake) clock and treats an entry created at the very instant
        // of an invalidation as invalidated; real time never stands still, so neither does the test.
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        var statistics = host.Services.GetRequiredService<FlashListingStatistics>();
        var (requestsBefore, loadsBefore, queriesBefore) = (statistics.Requests, statistics.Loads, counter.Count);

        for (var second = 0; second < 60; second++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, ConcurrentRequests).Select(_ =>
                host.SendAsAsync<Result<FlashListingDto>>(OrderingTestHost.NewUser(), new GetFlashProductsQuery())));
            answers.ShouldAllBe(a => a.IsSuccess && a.Value.Sales.Count == 1);
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var queries = counter.Count - queriesBefore;
        var requests = statistics.Requests - requestsBefore;
        var loads = statistics.Loads - loadsBefore;
        queries.ShouldBe(2, "one load per 30 s period: seconds 0–29 and 30–59");
        loads.ShouldBe(2);
        requests.ShouldBe(60 * ConcurrentRequests);
        (1 - ((double)loads / requests)).ShouldBeGreaterThan(0.9);
    }

    [Fact]
    public async Task An_admin_edit_is_visible_on_the_next_read_with_one_new_query()
    {
        var counter = new ListingQueryCounter();
        await using var host = await OrderingTestHost.StartAsync(configure: s => s.AddSingleton<IInterceptor>(counter));
        var sku = await host.CreateProductAsync(stock: 100, price: 50m);
        host.AlignToListingPeriod();
        var now = host.Time.GetUtcNow();
        var saleId = await host.CreateSaleAsync(sku, now, now.AddHours(2), allocation: 40, cap: 2, percentOff: 10);
        var first = await host.SendAsAsync<Result<FlashListingDto>>(OrderingTestHost.NewUser(), new GetFlashProductsQuery());
        first.Value.Sales.Single().Products.Single().FlashPrice.ShouldBe(45m);

        var edited = await host.SendAsAsync<Result>(FlashTestSupport.Admin, new UpdateFlashSaleCommand(
            saleId, "Renamed sale", now, now.AddHours(2), [new FlashSaleItemInput(sku, 30m, null, 40, 2)]));
        edited.IsSuccess.ShouldBeTrue();
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        var queries = counter.Count;

        var after = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            host.SendAsAsync<Result<FlashListingDto>>(OrderingTestHost.NewUser(), new GetFlashProductsQuery())));
        after.ShouldAllBe(a => a.Value.Sales.Single().Name == "Renamed sale" && a.Value.Sales.Single().Products.Single().FlashPrice == 30m);
        (counter.Count - queries).ShouldBe(1);
    }

    [Fact]
    public async Task Readers_share_one_snapshot_instance_and_an_edit_makes_a_new_one_with_a_new_load_id()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 100, price: 50m);
        host.AlignToListingPeriod();
        var now = host.Time.GetUtcNow();
        var saleId = await host.CreateSaleAsync(sku, now, now.AddHours(2), allocation: 40, cap: 2, percentOff: 10);
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        await using var scope = host.Services.CreateAsyncScope();
        var listing = scope.ServiceProvider.GetRequiredService<FlashListingCache>();

        var first = await listing.GetAsync(CancellationToken.None);
        var second = await listing.GetAsync(CancellationToken.None);

        // Marked immutable, the snapshot is handed out as is: no per-read deserialization of a private copy (the cost that
        // dominated cached reads of the busiest page).
        ReferenceEquals(first, second).ShouldBeTrue();
        var edited = await host.SendAsAsync<Result>(FlashTestSupport.Admin, new UpdateFlashSaleCommand(
            saleId, "Renamed sale", now, now.AddHours(2), [new FlashSaleItemInput(sku, 30m, null, 40, 2)]));
        edited.IsSuccess.ShouldBeTrue();
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        var afterEdit = await listing.GetAsync(CancellationToken.None);
        afterEdit.LoadId.ShouldNotBe(first.LoadId);
        afterEdit.Sales.Single().Name.ShouldBe("Renamed sale");
    }

    [Fact]
    public async Task The_listing_shows_states_and_countdowns_from_the_server_clock_and_hides_ended_sales()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var live = await host.CreateProductAsync(stock: 100, price: 50m);
        var soon = await host.CreateProductAsync(stock: 100, price: 80m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(live, now, now.AddMinutes(10), allocation: 4, cap: 2, flashPrice: 40m);
        await host.CreateSaleAsync(soon, now.AddMinutes(5), now.AddHours(1), allocation: 100, cap: 2, percentOff: 25);

        var listing = (await host.SendAsAsync<Result<FlashListingDto>>(OrderingTestHost.NewUser(), new GetFlashProductsQuery())).Value;

        var liveSale = listing.Sales.Single(s => s.Products[0].Sku == live);
        liveSale.State.ShouldBe("Live");
        liveSale.SecondsLeft.ShouldBe(600);
        liveSale.Products[0].ShouldBe(new FlashProductListingDto(live, "Test " + live, 50m, 40m, 20, false, "Only 5 or fewer left", 2));
        var upcoming = listing.Sales.Single(s => s.Products[0].Sku == soon);
        upcoming.State.ShouldBe("Upcoming");
        upcoming.SecondsLeft.ShouldBe(300);
        upcoming.Products[0].FlashPrice.ShouldBe(60m);
        upcoming.Products[0].RemainingLabel.ShouldBeNull();

        host.Time.Advance(TimeSpan.FromMinutes(10));
        var later = (await host.SendAsAsync<Result<FlashListingDto>>(OrderingTestHost.NewUser(), new GetFlashProductsQuery())).Value;
        later.Sales.Select(s => s.Products[0].Sku).ShouldBe([soon]);
        later.Sales.Single().State.ShouldBe("Live");
    }
}
