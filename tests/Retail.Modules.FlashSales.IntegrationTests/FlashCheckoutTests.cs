using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Features;
using Retail.Modules.FlashSales.Application.Abstractions;
using Retail.Modules.FlashSales.Application.Listing;
using Retail.Modules.FlashSales.Application.Sales;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Application.Orders.PlaceOrder;
using Retail.Modules.Ordering.IntegrationTests;

namespace Retail.Modules.FlashSales.IntegrationTests;

/// <summary>Issue 4: flash price, time windows, caps, limits, release and the switch, through the real checkout.</summary>
public sealed class FlashCheckoutTests
{
    private static Dictionary<string, string?> Limits(int perUser = 5, int perUserSku = 3) => new()
    {
        ["Ordering:CheckoutRateLimit:PermitLimit"] = perUser.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["FlashSales:PerUserSkuPermitLimit"] = perUserSku.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task The_flash_price_applies_exactly_inside_the_window_and_the_regular_price_outside_it()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 50, perUserSku: 50));
        var sku = await host.CreateProductAsync(stock: 50, price: 40m);
        var start = host.Time.GetUtcNow().AddMinutes(10);
        await host.CreateSaleAsync(sku, start, start.AddHours(1), allocation: 20, cap: 10, percentOff: 25);

        var before = await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku));
        before.UnitPriceOf(sku).ShouldBe(40m);

        host.Time.Advance(start - host.Time.GetUtcNow());
        var atStart = await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku));
        atStart.UnitPriceOf(sku).ShouldBe(30m);

        host.Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        var lastTick = await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku));
        lastTick.UnitPriceOf(sku).ShouldBe(30m);

        host.Time.Advance(TimeSpan.FromTicks(1));
        var atEnd = await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku));
        atEnd.UnitPriceOf(sku).ShouldBe(40m);

        (await host.ItemAsync(sku)).Sold.ShouldBe(2);
        (await host.ClaimsAsync(sku)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_customer_cannot_buy_above_the_cap_and_nothing_is_held_for_the_refused_order()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 50, perUserSku: 50));
        var sku = await host.CreateProductAsync(stock: 30, price: 20m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: 10, cap: 2, flashPrice: 12m);
        var buyer = OrderingTestHost.NewUser();

        (await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku, quantity: 2))).IsSuccess.ShouldBeTrue();
        var over = await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku, quantity: 1));

        over.IsSuccess.ShouldBeFalse();
        over.Error!.Code.ShouldBe("flash.cap_exceeded");
        over.Error!.Kind.ShouldBe(ErrorKind.Unprocessable);
        over.Error!.Message.ShouldBe("You can buy at most 2 of this item in this flash sale.");
        (await host.OrderCountAsync(buyer)).ShouldBe(1);
        (await host.StockOfAsync(sku)).ShouldBe(28);
        var item = await host.ItemAsync(sku);
        item.Sold.ShouldBe(2);
        (await host.PurchasesAsync(item.Id)).Single().Quantity.ShouldBe(2);

        var tooMany = await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku, quantity: 3));
        tooMany.Error!.Code.ShouldBe("flash.cap_exceeded");
        (await host.ItemAsync(sku)).Sold.ShouldBe(2);
    }

    [Fact]
    public async Task When_the_allocation_is_gone_checkout_answers_sold_out_while_catalog_stock_remains()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 50, perUserSku: 50));
        var sku = await host.CreateProductAsync(stock: 30, price: 20m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: 3, cap: 3, flashPrice: 10m);

        (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku, quantity: 3))).IsSuccess.ShouldBeTrue();
        var late = await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku));

        late.Error!.Code.ShouldBe("flash.sold_out");
        late.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        late.Error!.Message.ShouldBe(UserMessages.OutOfStock);
        (await host.StockOfAsync(sku)).ShouldBe(27);
        (await host.ItemAsync(sku)).Remaining.ShouldBe(0);
    }

    [Fact]
    public async Task A_sold_out_item_is_refused_without_a_claim_until_units_come_back_on_this_instance()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 50, perUserSku: 50));
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: 1, cap: 1, flashPrice: 10m);

        var declined = await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku, card: OrderingTestHost.DecliningCard));
        declined.Error!.Code.ShouldBe("payment.declined");
        var first = await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku));
        first.Error!.Code.ShouldBe("flash.sold_out");
        var claimsBefore = (await host.ClaimsAsync(sku)).Count;

        var remembered = await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku));
        remembered.Error!.Code.ShouldBe("flash.sold_out");
        remembered.Error.Message.ShouldBe(UserMessages.OutOfStock);
        (await host.ClaimsAsync(sku)).Count.ShouldBe(claimsBefore);

        // The declined order is cancelled; its release puts the unit back and forgets the sold-out answer at once.
        await host.DeliverOrderingEventsAsync();
        var buyer = await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku));
        buyer.IsSuccess.ShouldBeTrue();
        buyer.UnitPriceOf(sku).ShouldBe(10m);
        (await host.ItemAsync(sku)).Sold.ShouldBe(1);
    }

    [Fact]
    public async Task When_stock_runs_out_before_the_allocation_the_claim_is_given_back()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 50, perUserSku: 50));
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: 10, cap: 5, flashPrice: 10m);

        // Sold elsewhere after the sale was set up: 1 unit left on the shelf for an allocation of 10.
        await host.QueryAsync(sp => sp.GetRequiredService<Retail.Modules.Catalog.Application.Abstractions.ICatalogDbContext>()
            .Products.Where(p => p.Sku == sku).ExecuteUpdateAsync(u => u.SetProperty(p => p.Stock, 1)));
        var buyer = OrderingTestHost.NewUser();

        var refused = await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku, quantity: 2));

        refused.Error!.Code.ShouldBe("ordering.out_of_stock");
        var item = await host.ItemAsync(sku);
        item.Sold.ShouldBe(0);
        (await host.PurchasesAsync(item.Id)).Sum(p => p.Quantity).ShouldBe(0);
        (await host.ClaimsAsync(sku)).ShouldAllBe(c => c.ReleasedAt != null);
    }

    [Fact]
    public async Task A_declined_payment_cancels_the_order_and_gives_the_units_back_to_the_sale_and_the_cap_once()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 50, perUserSku: 50));
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: 5, cap: 2, flashPrice: 10m);
        var buyer = OrderingTestHost.NewUser();

        var declined = await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku, quantity: 2, card: OrderingTestHost.DecliningCard));
        declined.Error!.Code.ShouldBe("payment.declined");
        (await host.ItemAsync(sku)).Sold.ShouldBe(2);

        await host.DeliverOrderingEventsAsync();
        await host.RedeliverOutboxAsync();

        var item = await host.ItemAsync(sku);
        item.Sold.ShouldBe(0);
        (await host.PurchasesAsync(item.Id)).Single().Quantity.ShouldBe(0);
        var retry = await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku, quantity: 2));
        retry.IsSuccess.ShouldBeTrue();
        retry.UnitPriceOf(sku).ShouldBe(10m);
        (await host.ItemAsync(sku)).Sold.ShouldBe(2);
    }

    [Fact]
    public async Task Flash_units_held_by_a_checkout_that_died_before_storing_its_order_go_back_to_the_sale_and_the_cap_after_the_grace()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 50, perUserSku: 50));
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: 3, cap: 2, flashPrice: 10m);
        var buyer = OrderingTestHost.NewUser();

        var died = OrderingTestHost.Checkout(sku, quantity: 2);
        await host.DieAfterReservingAsync(buyer, died);

        (await host.ItemAsync(sku)).Sold.ShouldBe(2);
        (await host.StockOfAsync(sku)).ShouldBe(8);
        (await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku, quantity: 1))).Error!.Code.ShouldBe("flash.cap_exceeded");
        (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku, quantity: 2))).Error!.Code.ShouldBe("flash.sold_out", "one unit left of the allocation");

        host.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        (await host.RunInterruptedCheckoutRecoveryAsync()).ShouldBe(new InterruptedCheckoutReport(Released: 1));
        (await host.RunInterruptedCheckoutRecoveryAsync()).ShouldBe(new InterruptedCheckoutReport(), "released once");

        var item = await host.ItemAsync(sku);
        item.Sold.ShouldBe(0);
        (await host.PurchasesAsync(item.Id)).Sum(p => p.Quantity).ShouldBe(0);
        (await host.ClaimsAsync(sku)).ShouldAllBe(c => c.ReleasedAt != null);
        (await host.StockOfAsync(sku)).ShouldBe(10);
        var retried = await host.PlaceOrderAsync(buyer, died);
        retried.IsSuccess.ShouldBeTrue(retried.IsSuccess ? "" : retried.Error.Message);
        retried.UnitPriceOf(sku).ShouldBe(10m);
        (await host.ItemAsync(sku)).Sold.ShouldBe(2);
    }

    [Fact]
    public async Task Paid_orders_mark_their_claims_paid_and_the_live_panel_counts_them()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 50, perUserSku: 50));
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var now = host.Time.GetUtcNow();
        var saleId = await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: 5, cap: 2, flashPrice: 10m);
        (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku, quantity: 2))).IsSuccess.ShouldBeTrue();

        await host.DeliverOrderingEventsAsync();

        var panel = await host.SendAsAsync<Result<FlashSaleDetailDto>>(FlashTestSupport.Admin, new GetFlashSaleQuery(saleId));
        var line = panel.Value.Items.Single();
        (line.Sold, line.PaidUnits, line.Holds, line.Remaining).ShouldBe((2, 2, 0, 3));
        panel.Value.State.ShouldBe("Live");
        panel.Value.BreakerState.ShouldBe("Closed");
    }

    [Fact]
    public async Task A_sale_that_ended_after_the_customer_saw_the_flash_price_refuses_the_order_with_the_new_price()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 50, perUserSku: 50));
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(sku, now, now.AddMinutes(5), allocation: 5, cap: 2, flashPrice: 15m);
        var buyer = OrderingTestHost.NewUser();
        var shown = new Dictionary<string, decimal> { [sku] = 15m };

        host.Time.Advance(TimeSpan.FromMinutes(5));
        var refused = await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku) with { ExpectedPrices = shown });

        refused.Error!.Code.ShouldBe("ordering.price_changed");
        refused.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        refused.Error!.Message.ShouldContain("is now 20.00 (was 15.00). Nothing was charged.");
        (await host.OrderCountAsync(buyer)).ShouldBe(0);
        (await host.StockOfAsync(sku)).ShouldBe(10);

        var confirmed = await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku) with { ExpectedPrices = new Dictionary<string, decimal> { [sku] = 20m } });
        confirmed.UnitPriceOf(sku).ShouldBe(20m);
    }

    [Fact]
    public async Task The_per_user_and_sku_limit_answers_429_with_the_exact_retry_after_and_the_per_user_limit_still_counts_every_attempt()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 5, perUserSku: 2));
        var hot = await host.CreateProductAsync(stock: 50, price: 20m);
        var regular = await host.CreateProductAsync(stock: 50, price: 20m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(hot, now, now.AddHours(1), allocation: 50, cap: 10, flashPrice: 10m);
        var buyer = OrderingTestHost.NewUser();

        (await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(hot))).IsSuccess.ShouldBeTrue();
        host.Time.Advance(TimeSpan.FromSeconds(10));
        (await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(hot))).IsSuccess.ShouldBeTrue();
        host.Time.Advance(TimeSpan.FromSeconds(10));
        var third = await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(hot));

        third.Error!.Kind.ShouldBe(ErrorKind.RateLimited);
        third.Error!.Message.ShouldBe(UserMessages.RateLimited);
        third.Error!.RetryAfter.ShouldBe(TimeSpan.FromSeconds(40));

        // Another customer is not affected by this one's limit.
        (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(hot))).IsSuccess.ShouldBeTrue();

        // The per-user window counted all three attempts: two more for another product, then the sixth is refused.
        (await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(regular))).IsSuccess.ShouldBeTrue();
        host.Time.Advance(TimeSpan.FromSeconds(5));
        (await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(regular))).IsSuccess.ShouldBeTrue();
        var sixth = await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(regular));
        sixth.Error!.Kind.ShouldBe(ErrorKind.RateLimited);
        sixth.Error!.RetryAfter.ShouldBe(TimeSpan.FromSeconds(35));

        // Once the first attempt leaves the flash window, the hot SKU is allowed again (the per-user window too).
        host.Time.Advance(TimeSpan.FromSeconds(35));
        (await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(hot))).IsSuccess.ShouldBeTrue();
        (await host.OrderCountAsync(buyer)).ShouldBe(5);
    }

    [Fact]
    public async Task Products_outside_a_live_sale_are_not_limited_per_sku()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 10, perUserSku: 1));
        var sku = await host.CreateProductAsync(stock: 50, price: 20m);
        var buyer = OrderingTestHost.NewUser();
        for (var i = 0; i < 4; i++)
        {
            (await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku))).IsSuccess.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task With_flash_sales_switched_off_the_listing_is_unavailable_and_checkout_charges_the_regular_price()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 50, perUserSku: 50));
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var now = host.Time.GetUtcNow();
        await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: 5, cap: 2, flashPrice: 10m);
        var toggle = host.Services.GetRequiredService<IFeatureToggles>().Find(Features.FlashSales)!;

        await toggle.SetEnabledAsync(false, "ops@example.test");

        var listing = await host.SendAsAsync<Result<FlashListingDto>>(OrderingTestHost.NewUser(), new GetFlashProductsQuery());
        listing.Error!.Kind.ShouldBe(ErrorKind.Unavailable);
        listing.Error!.Code.ShouldBe("feature.unavailable");
        listing.Error!.Message.ShouldBe("Flash sales are not available right now. Please check back later.");
        var placed = await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku));
        placed.UnitPriceOf(sku).ShouldBe(20m);
        (await host.ItemAsync(sku)).Sold.ShouldBe(0);

        var state = await toggle.SetEnabledAsync(true, "ops@example.test");
        state.ChangedBy.ShouldBe("ops@example.test");
        (await host.SendAsAsync<Result<FlashListingDto>>(OrderingTestHost.NewUser(), new GetFlashProductsQuery())).IsSuccess.ShouldBeTrue();
        (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku))).UnitPriceOf(sku).ShouldBe(10m);
    }

    [Fact]
    public async Task A_full_checkout_gate_refuses_at_once_with_the_high_traffic_message()
    {
        await using var host = await OrderingTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Ordering:CheckoutGate:PermitLimit"] = "1",
            ["Ordering:CheckoutGate:QueueLimit"] = "0",
        });
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var gate = host.Services.GetRequiredService<ICheckoutGate>();
        var buyer = OrderingTestHost.NewUser();

        using (var held = await gate.TryEnterAsync(CancellationToken.None))
        {
            held.ShouldNotBeNull();
            var refused = await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku));
            refused.Error!.Kind.ShouldBe(ErrorKind.Unavailable);
            refused.Error!.Message.ShouldBe(UserMessages.Overloaded);
            refused.Error!.RetryAfter.ShouldBe(TimeSpan.FromSeconds(1));
            (await host.StockOfAsync(sku)).ShouldBe(10);
        }

        (await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku))).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task Bad_sale_input_is_refused_with_field_errors_and_nothing_is_stored()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var now = host.Time.GetUtcNow();

        var unknown = await host.SendAsAsync<Result<Guid>>(FlashTestSupport.Admin,
            new CreateFlashSaleCommand("Sale", now, now.AddHours(1), [new FlashSaleItemInput("NOPE-1", 5m, null, 10, 2)]));
        unknown.Error!.FieldErrors.Keys.ShouldContain("Items[0].Sku");

        var dearer = await host.SendAsAsync<Result<Guid>>(FlashTestSupport.Admin,
            new CreateFlashSaleCommand("Sale", now, now.AddHours(1), [new FlashSaleItemInput(sku, 25m, null, 10, 2)]));
        dearer.Error!.FieldErrors["Items[0].FlashPrice"].Single().ShouldContain("below the regular price");

        var backwards = await host.SendAsAsync<Result<Guid>>(FlashTestSupport.Admin,
            new CreateFlashSaleCommand("Sale", now, now.AddHours(-1), [new FlashSaleItemInput(sku, null, 150, 0, 2)]));
        backwards.Error!.Kind.ShouldBe(ErrorKind.Validation);
        backwards.Error!.FieldErrors.Keys.ShouldContain("EndsAt");

        var customer = await host.SendAsAsync<Result<Guid>>(OrderingTestHost.NewUser(),
            new CreateFlashSaleCommand("Sale", now, now.AddHours(1), [new FlashSaleItemInput(sku, 5m, null, 10, 2)]));
        customer.Error!.Kind.ShouldBe(ErrorKind.Forbidden);

        (await host.SendAsAsync<Result<PagedResult<FlashSaleSummaryDto>>>(FlashTestSupport.Admin, new GetFlashSalesQuery())).Value.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_sale_cannot_offer_more_units_than_the_catalog_has_in_stock()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 50, perUserSku: 50));
        var sku = await host.CreateProductAsync(stock: 5, price: 20m);
        var now = host.Time.GetUtcNow();

        // 6 offered with 5 on the shelf: the listing would show a live offer whose last unit no checkout can ever reserve.
        var tooMany = await host.SendAsAsync<Result<Guid>>(FlashTestSupport.Admin,
            new CreateFlashSaleCommand("Sale", now, now.AddHours(1), [new FlashSaleItemInput(sku.ToLowerInvariant(), 10m, null, 6, 2)]));
        tooMany.Error!.Kind.ShouldBe(ErrorKind.Validation);
        tooMany.Error.FieldErrors["Items[0].Allocation"].Single().ShouldBe($"Only 5 of {sku} are in stock: the allocation can be at most 5.");
        (await host.SendAsAsync<Result<PagedResult<FlashSaleSummaryDto>>>(FlashTestSupport.Admin, new GetFlashSalesQuery())).Value.Items.ShouldBeEmpty();

        var saleId = await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: 5, cap: 2, flashPrice: 10m);
        (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku, quantity: 2))).IsSuccess.ShouldBeTrue();

        // 2 sold, 3 left on the shelf: the sale's allocation covers what it sold plus what is left, no more.
        var raised = await host.SendAsAsync<Result>(FlashTestSupport.Admin,
            new UpdateFlashSaleCommand(saleId, "Sale", now, now.AddHours(1), [new FlashSaleItemInput(sku, 10m, null, 6, 2)]));
        raised.Error!.FieldErrors["Items[0].Allocation"].Single().ShouldBe($"Only 3 of {sku} are in stock: the allocation can be at most 5.");
        (await host.ItemAsync(sku)).Allocation.ShouldBe(5);

        // Stock that fell below the allocation since (sold elsewhere) does not block other changes of the sale.
        await host.QueryAsync(sp => sp.GetRequiredService<Retail.Modules.Catalog.Application.Abstractions.ICatalogDbContext>()
            .Products.Where(p => p.Sku == sku).ExecuteUpdateAsync(u => u.SetProperty(p => p.Stock, 1)));
        (await host.SendAsAsync<Result>(FlashTestSupport.Admin,
            new UpdateFlashSaleCommand(saleId, "Renamed", now, now.AddHours(1), [new FlashSaleItemInput(sku, 10m, null, 5, 2)]))).Error.ShouldBeNull();
    }

    [Fact]
    public async Task A_customer_at_the_cap_stays_at_the_cap_when_the_admin_removes_and_re_adds_the_product()
    {
        await using var host = await OrderingTestHost.StartAsync(Limits(perUser: 50, perUserSku: 50));
        var sku = await host.CreateProductAsync(stock: 30, price: 20m);
        var other = await host.CreateProductAsync(stock: 30, price: 20m);
        var now = host.Time.GetUtcNow();
        var saleId = await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: 10, cap: 2, flashPrice: 12m);
        var buyer = OrderingTestHost.NewUser();
        (await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku, quantity: 2))).IsSuccess.ShouldBeTrue();

        var itemId = (await host.ItemAsync(sku)).Id;

        // The per-customer cap counts on the sale item's row: a removed and re-added product would be a new item with no
        // purchases. A product with units sold or held cannot leave the sale, so its item (and the customer's count) stays.
        var removed = await host.SendAsAsync<Result>(FlashTestSupport.Admin,
            new UpdateFlashSaleCommand(saleId, "Sale", now, now.AddHours(1), [new FlashSaleItemInput(other, 12m, null, 10, 2)]));
        removed.Error!.Message.ShouldBe("A product that already sold units stays in the sale with an allocation of at least what it sold.");
        (await host.SendAsAsync<Result>(FlashTestSupport.Admin, new UpdateFlashSaleCommand(
            saleId, "Sale", now, now.AddHours(1), [new FlashSaleItemInput(other, 12m, null, 10, 2), new FlashSaleItemInput(sku, 12m, null, 10, 2)]))).Error.ShouldBeNull();
        var again = await host.PlaceOrderAsync(buyer, OrderingTestHost.Checkout(sku, quantity: 1));

        again.Error!.Code.ShouldBe("flash.cap_exceeded");
        (await host.ItemAsync(sku)).Id.ShouldBe(itemId);
        (await host.PurchasesAsync(itemId)).Single().Quantity.ShouldBe(2);
    }

    [Fact]
    public async Task A_second_sale_for_a_product_in_an_overlapping_window_is_refused_and_one_right_after_is_not()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var now = host.Time.GetUtcNow();
        var first = await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: 1, cap: 1, flashPrice: 10m);

        // Checkout only ever takes the earliest live sale of a SKU: a second one at the same time could never sell its units.
        var overlapping = await host.SendAsAsync<Result<Guid>>(FlashTestSupport.Admin,
            new CreateFlashSaleCommand("Second", now.AddMinutes(30), now.AddHours(2), [new FlashSaleItemInput(sku.ToLowerInvariant(), 12m, null, 10, 2)]));
        overlapping.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        overlapping.Error!.Code.ShouldBe("flash.sale_overlap");
        overlapping.Error!.FieldErrors.Keys.ShouldContain("Items[0].Sku");

        var after = await host.SendAsAsync<Result<Guid>>(FlashTestSupport.Admin,
            new CreateFlashSaleCommand("After", now.AddHours(1), now.AddHours(2), [new FlashSaleItemInput(sku, 12m, null, 10, 2)]));
        after.IsSuccess.ShouldBeTrue();
        var movedIntoFirst = await host.SendAsAsync<Result>(FlashTestSupport.Admin,
            new UpdateFlashSaleCommand(after.Value, "After", now.AddMinutes(59), now.AddHours(2), [new FlashSaleItemInput(sku, 12m, null, 10, 2)]));
        movedIntoFirst.Error!.Code.ShouldBe("flash.sale_overlap");
        (await host.SendAsAsync<Result>(FlashTestSupport.Admin,
            new UpdateFlashSaleCommand(first, "First", now, now.AddHours(1), [new FlashSaleItemInput(sku, 9m, null, 1, 1)]))).IsSuccess.ShouldBeTrue();
        (await host.SendAsAsync<Result<PagedResult<FlashSaleSummaryDto>>>(FlashTestSupport.Admin, new GetFlashSalesQuery())).Value.TotalCount.ShouldBe(2);
    }

    [Fact]
    public async Task An_inactive_catalog_product_is_refused_with_422_naming_it_on_create_and_when_added_by_an_update()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var active = await host.CreateProductAsync(stock: 10, price: 20m);
        var inactive = await host.CreateProductAsync(stock: 10, price: 20m, active: false);
        var now = host.Time.GetUtcNow();

        var created = await host.SendAsAsync<Result<Guid>>(FlashTestSupport.Admin, new CreateFlashSaleCommand(
            "Sale", now, now.AddHours(1), [new FlashSaleItemInput(active, 10m, null, 10, 2), new FlashSaleItemInput(inactive.ToLowerInvariant(), 10m, null, 10, 2)]));

        created.Error!.Kind.ShouldBe(ErrorKind.Unprocessable);
        created.Error.Code.ShouldBe("flash.product_inactive");
        created.Error.Message.ShouldBe($"Test {inactive} ({inactive}) is not active in the catalog; only active products can be in a flash sale.");
        created.Error.FieldErrors.Keys.ShouldBe(["Items[1].Sku"]);
        created.Error.FieldErrors["Items[1].Sku"].ShouldBe([$"Test {inactive} ({inactive}) is not active in the catalog."]);
        (await host.SendAsAsync<Result<PagedResult<FlashSaleSummaryDto>>>(FlashTestSupport.Admin, new GetFlashSalesQuery())).Value.Items.ShouldBeEmpty();

        var saleId = await host.CreateSaleAsync(active, now, now.AddHours(1), allocation: 10, cap: 2, flashPrice: 10m);
        var added = await host.SendAsAsync<Result>(FlashTestSupport.Admin, new UpdateFlashSaleCommand(
            saleId, "Sale", now, now.AddHours(1), [new FlashSaleItemInput(active, 10m, null, 10, 2), new FlashSaleItemInput(inactive, 10m, null, 10, 2)]));
        added.Error!.Kind.ShouldBe(ErrorKind.Unprocessable);
        added.Error.Code.ShouldBe("flash.product_inactive");
        (await host.QueryAsync(sp => sp.GetRequiredService<IFlashSalesDbContext>().Items.CountAsync(i => i.SaleId == saleId))).ShouldBe(1);
    }

    [Fact]
    public async Task A_sale_that_would_already_be_over_is_refused_on_create_and_when_an_edit_moves_its_end_into_the_past()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var now = host.Time.GetUtcNow();

        // A wrong year or day typed in the form made an ended sale that never ran, answered "Flash sale created.".
        var over = await host.SendAsAsync<Result<Guid>>(FlashTestSupport.Admin,
            new CreateFlashSaleCommand("Sale", now.AddDays(-2), now.AddDays(-1), [new FlashSaleItemInput(sku, 5m, null, 10, 2)]));
        over.IsSuccess.ShouldBeFalse("a sale that ended yesterday is no sale to create");
        over.Error!.Kind.ShouldBe(ErrorKind.Validation);
        over.Error!.FieldErrors["EndsAt"].Single().ShouldContain("already over");
        var endingNow = await host.SendAsAsync<Result<Guid>>(FlashTestSupport.Admin,
            new CreateFlashSaleCommand("Sale", now.AddHours(-1), now, [new FlashSaleItemInput(sku, 5m, null, 10, 2)]));
        endingNow.Error!.FieldErrors.Keys.ShouldContain("EndsAt");
        (await host.SendAsAsync<Result<PagedResult<FlashSaleSummaryDto>>>(FlashTestSupport.Admin, new GetFlashSalesQuery())).Value.Items.ShouldBeEmpty();

        // Started in the past and still running is fine: it is live at once.
        var saleId = await host.CreateSaleAsync(sku, now.AddHours(-1), now.AddHours(1), allocation: 10, cap: 2, flashPrice: 8m);

        var movedIntoThePast = await host.SendAsAsync<Result>(FlashTestSupport.Admin,
            new UpdateFlashSaleCommand(saleId, "Sale", now.AddHours(-1), now.AddMinutes(-30), [new FlashSaleItemInput(sku, 8m, null, 10, 2)]));
        movedIntoThePast.IsSuccess.ShouldBeFalse("an edit does not end a sale in the past: End now ends it at once");
        movedIntoThePast.Error!.Kind.ShouldBe(ErrorKind.Validation);
        movedIntoThePast.Error!.FieldErrors["EndsAt"].Single().ShouldContain("already over");
        (await host.SendAsAsync<Result<FlashSaleDetailDto>>(FlashTestSupport.Admin, new GetFlashSaleQuery(saleId))).Value.EndsAt.ShouldBe(now.AddHours(1));

        // Once it has ended, the sale can still be edited (renamed) with the end it had.
        host.Time.Advance(TimeSpan.FromHours(2));
        var renamed = await host.SendAsAsync<Result>(FlashTestSupport.Admin,
            new UpdateFlashSaleCommand(saleId, "Renamed", now.AddHours(-1), now.AddHours(1), [new FlashSaleItemInput(sku, 8m, null, 10, 2)]));
        renamed.IsSuccess.ShouldBeTrue(renamed.IsSuccess ? "" : renamed.Error.Message);
    }

    [Fact]
    public async Task A_null_product_entry_in_a_create_or_update_is_a_validation_error_not_a_crash()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 20m);
        var now = host.Time.GetUtcNow();

        var created = await host.SendAsAsync<Result<Guid>>(FlashTestSupport.Admin,
            new CreateFlashSaleCommand("Sale", now, now.AddHours(1), [null!]));
        created.Error!.Kind.ShouldBe(ErrorKind.Validation);
        created.Error!.FieldErrors.Keys.ShouldContain("Items[0]");

        var saleId = await host.CreateSaleAsync(sku, now, now.AddHours(1), allocation: 10, cap: 2, flashPrice: 8m);
        var updated = await host.SendAsAsync<Result>(FlashTestSupport.Admin,
            new UpdateFlashSaleCommand(saleId, "Sale", now, now.AddHours(1), [new FlashSaleItemInput(sku, 5m, null, 10, 2), null!]));
        updated.Error!.Kind.ShouldBe(ErrorKind.Validation);
        updated.Error!.FieldErrors.Keys.ShouldContain("Items[1]");
        (await host.ItemAsync(sku)).FlashPriceNow.ShouldBe(8m);
    }
}
