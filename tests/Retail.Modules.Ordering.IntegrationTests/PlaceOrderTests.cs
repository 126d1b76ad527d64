using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Application.Orders.PlaceOrder;
using Retail.Modules.Ordering.Domain.Orders;

namespace Retail.Modules.Ordering.IntegrationTests;

/// <summary>Checkout through the real mediator, Catalog and Payments on real SQLite (SPEC A1, A3, P2, U1).</summary>
public sealed class PlaceOrderTests
{
    [Fact]
    public async Task A_paid_order_locks_catalog_prices_holds_stock_and_writes_its_events()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 12.50m);
        var user = OrderingTestHost.NewUser();

        var result = await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku.ToLowerInvariant(), quantity: 2));

        result.IsSuccess.ShouldBeTrue(result.Error?.Message);
        result.Value.PaymentPending.ShouldBeFalse();
        result.Value.Order.Status.ShouldBe("Paid");
        result.Value.Order.Total.ShouldBe(25m);
        result.Value.Order.Lines.Single().UnitPrice.ShouldBe(12.50m);
        (await host.StockOfAsync(sku)).ShouldBe(8);
        var order = await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.SingleAsync(o => o.CustomerId == user));
        order.ProtectedPaymentDetails.ShouldBeNull("no card data is kept once paid");
    }

    [Fact]
    public async Task A_regular_price_raised_after_the_customer_saw_it_refuses_the_order_with_a_message_that_names_no_flash_sale()
    {
        await using var host = await OrderingTestHost.StartAsync();
        // No sale at all: the customer saw 10.00 and an admin has since raised the regular price to 12.00.
        var sku = await host.CreateProductAsync(stock: 10, price: 12.00m);
        var user = OrderingTestHost.NewUser();

        var refused = await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku) with { ExpectedPrices = new Dictionary<string, decimal> { [sku] = 10.00m } });

        refused.Error!.Code.ShouldBe("ordering.price_changed");
        refused.Error.Kind.ShouldBe(ErrorKind.Conflict);
        refused.Error.Message.ShouldContain("is now 12.00 (was 10.00)");
        refused.Error.Message.ShouldNotContain("flash sale", Case.Insensitive, "the handler cannot tell why the price changed");
        (await host.OrderCountAsync(user)).ShouldBe(0);
        (await host.StockOfAsync(sku)).ShouldBe(10);
    }

    [Fact]
    public async Task The_same_key_twice_makes_one_order_and_one_reservation()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10);
        var user = OrderingTestHost.NewUser();
        var command = OrderingTestHost.Checkout(sku, quantity: 3);

        var first = await host.PlaceOrderAsync(user, command);
        var second = await host.PlaceOrderAsync(user, command);

        first.IsSuccess.ShouldBeTrue(first.Error?.Message);
        second.IsSuccess.ShouldBeTrue(second.Error?.Message);
        second.Value.Order.Id.ShouldBe(first.Value.Order.Id);
        (await host.OrderCountAsync(user)).ShouldBe(1);
        (await host.StockOfAsync(sku)).ShouldBe(7);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422_and_writes_nothing_more()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10);
        var user = OrderingTestHost.NewUser();
        var command = OrderingTestHost.Checkout(sku, quantity: 1);
        await host.PlaceOrderAsync(user, command);

        var reused = await host.PlaceOrderAsync(user, command with { Items = [new OrderItemInput(sku, 2)] });

        reused.IsSuccess.ShouldBeFalse();
        reused.Error!.Code.ShouldBe("idempotency.key_reused");
        reused.Error.Kind.ShouldBe(ErrorKind.Unprocessable);
        (await host.OrderCountAsync(user)).ShouldBe(1);
        (await host.StockOfAsync(sku)).ShouldBe(9);
    }

    [Fact]
    public async Task The_sixth_attempt_within_60_seconds_is_rate_limited_with_retry_after_and_the_window_slides()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 50);
        var user = OrderingTestHost.NewUser();
        for (var i = 0; i < 5; i++)
        {
            (await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku))).IsSuccess.ShouldBeTrue();
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var sixth = await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku));

        sixth.IsSuccess.ShouldBeFalse();
        sixth.Error!.Kind.ShouldBe(ErrorKind.RateLimited);
        sixth.Error.Message.ShouldBe(UserMessages.RateLimited);
        sixth.Error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(55));
        (await host.OrderCountAsync(user)).ShouldBe(5);
        (await host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku))).IsSuccess.ShouldBeTrue("limits are per user");

        host.Time.Advance(TimeSpan.FromSeconds(56));
        (await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku))).IsSuccess.ShouldBeTrue("the oldest attempt left the window");
    }

    [Fact]
    public async Task A_declined_payment_cancels_the_order_and_releases_its_stock()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5);
        var user = OrderingTestHost.NewUser();

        var result = await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku, quantity: 2, card: OrderingTestHost.DecliningCard));

        result.IsSuccess.ShouldBeFalse();
        result.Error!.Code.ShouldBe("payment.declined");
        result.Error.Message.ShouldBe(UserMessages.PaymentFailed);
        (await host.StockOfAsync(sku)).ShouldBe(5);
        var order = await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.SingleAsync(o => o.CustomerId == user));
        order.Status.ShouldBe(OrderStatus.Cancelled);
        order.StockReleasedAt.ShouldNotBeNull();
        order.ProtectedPaymentDetails.ShouldBeNull();
    }

    [Fact]
    public async Task A_card_number_that_can_never_be_charged_is_a_field_error_and_places_no_order()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5);
        var user = OrderingTestHost.NewUser();

        // One digit off (fails the Luhn check): the customer's typo, not a declined payment.
        var result = await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku, card: "4242424242424241"));

        result.IsSuccess.ShouldBeFalse();
        result.Error!.Kind.ShouldBe(ErrorKind.Validation, result.Error.Message);
        result.Error.FieldErrors.Keys.ShouldBe(["PaymentDetails.cardNumber"]);
        (await host.OrderCountAsync(user)).ShouldBe(0, "no order is stored, declined and cancelled for a typo");
        (await host.StockOfAsync(sku)).ShouldBe(5);
        (await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku))).IsSuccess.ShouldBeTrue("the corrected card goes through");
    }

    [Fact]
    public async Task A_provider_outage_accepts_the_order_as_payment_pending_with_stock_held()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5);
        var user = OrderingTestHost.NewUser();
        host.SetOutage(true);

        var result = await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku, quantity: 2));

        result.IsSuccess.ShouldBeTrue(result.Error?.Message);
        result.Value.PaymentPending.ShouldBeTrue();
        result.Value.Message.ShouldBe(UserMessages.Overloaded);
        result.Value.Order.Status.ShouldBe("PaymentPending");
        result.Value.Order.PaymentDeadline.ShouldBe(host.Time.GetUtcNow().AddMinutes(15));
        (await host.StockOfAsync(sku)).ShouldBe(3);
        var order = await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.SingleAsync(o => o.CustomerId == user));
        order.ProtectedPaymentDetails.ShouldNotBeNull();
        order.ProtectedPaymentDetails.ShouldNotContain(OrderingTestHost.ValidCard, customMessage: "card numbers are stored protected only");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1000)]
    public async Task Bad_quantities_are_validation_errors_and_write_nothing(int quantity)
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5000);
        var user = OrderingTestHost.NewUser();

        var result = await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku, quantity: quantity));

        result.Error!.Kind.ShouldBe(ErrorKind.Validation);
        (await host.OrderCountAsync(user)).ShouldBe(0);
        (await host.StockOfAsync(sku)).ShouldBe(5000);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_missing_payment_method_is_a_validation_error_and_places_no_order(string method)
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5);
        var user = OrderingTestHost.NewUser();

        var result = await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku) with { PaymentMethod = method });

        result.IsSuccess.ShouldBeFalse();
        result.Error!.Kind.ShouldBe(ErrorKind.Validation, result.Error.Message);
        result.Error.FieldErrors.Keys.ShouldContain("PaymentMethod");
        (await host.OrderCountAsync(user)).ShouldBe(0, "no order is stored (and cancelled) for a checkout without a payment method");
        (await host.StockOfAsync(sku)).ShouldBe(5);
    }

    [Fact]
    public async Task A_null_item_or_a_null_payment_detail_from_a_json_body_is_a_validation_error_not_a_crash()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5);
        var user = OrderingTestHost.NewUser();
        var checkout = OrderingTestHost.Checkout(sku);

        // What System.Text.Json makes of "items":[null] and "paymentDetails":{"cardNumber":null}.
        var nullItem = await host.PlaceOrderAsync(user, checkout with { Items = [new OrderItemInput(sku, 1), null!] });
        var nullDetail = await host.PlaceOrderAsync(user, checkout with { PaymentDetails = new Dictionary<string, string> { ["cardNumber"] = null!, ["expiry"] = "12/30" } });

        nullItem.Error!.Kind.ShouldBe(ErrorKind.Validation, nullItem.Error.Message);
        nullItem.Error.FieldErrors.Keys.ShouldContain(k => k.StartsWith("Items", StringComparison.Ordinal));
        nullDetail.Error!.Kind.ShouldBe(ErrorKind.Validation, nullDetail.Error.Message);
        nullDetail.Error.FieldErrors.Keys.ShouldContain("PaymentDetails");
        (await host.OrderCountAsync(user)).ShouldBe(0);
        (await host.StockOfAsync(sku)).ShouldBe(5);
    }

    [Fact]
    public async Task An_unknown_sku_is_a_validation_error_and_writes_nothing()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var user = OrderingTestHost.NewUser();

        var result = await host.PlaceOrderAsync(user, OrderingTestHost.Checkout("NOPE-" + Guid.NewGuid().ToString("N")[..6]));

        result.Error!.Kind.ShouldBe(ErrorKind.Validation);
        result.Error.FieldErrors.Keys.ShouldContain("Items");
        (await host.OrderCountAsync(user)).ShouldBe(0);
    }

    [Fact]
    public async Task An_inactive_product_is_422_out_of_stock_text()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5, active: false);
        var user = OrderingTestHost.NewUser();

        var result = await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku));

        result.Error!.Code.ShouldBe("ordering.product_unavailable");
        result.Error.Message.ShouldBe(UserMessages.OutOfStock);
        (await host.OrderCountAsync(user)).ShouldBe(0);
        (await host.StockOfAsync(sku)).ShouldBe(5);
    }

    [Fact]
    public async Task Fifty_parallel_checkouts_for_twenty_units_make_exactly_twenty_orders_and_never_go_negative()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 20);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => host.PlaceOrderAsync(OrderingTestHost.NewUser(), OrderingTestHost.Checkout(sku)))));

        results.Count(r => r.IsSuccess).ShouldBe(20);
        results.Where(r => !r.IsSuccess).ShouldAllBe(r => r.Error!.Code == "ordering.out_of_stock" && r.Error.Message == UserMessages.OutOfStock);
        results.Where(r => r.IsSuccess).ShouldAllBe(r => r.Value.Order.Status == "Paid");
        (await host.StockOfAsync(sku)).ShouldBe(0);
        var paid = await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.CountAsync(o => o.Status == OrderStatus.Paid));
        paid.ShouldBe(20);
    }
}
