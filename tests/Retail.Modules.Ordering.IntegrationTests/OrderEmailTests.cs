using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Application.Orders.Notifications;
using Retail.Modules.Ordering.IntegrationEvents;

namespace Retail.Modules.Ordering.IntegrationTests;

/// <summary>Customer emails from Ordering's integration events, delivered by the real outbox relay with the real inbox.</summary>
public sealed class OrderEmailTests
{
    [Fact]
    public async Task A_paid_order_sends_exactly_one_confirmation_even_when_order_paid_is_delivered_twice()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10, price: 12.50m);
        var user = OrderingTestHost.NewUser();

        var placed = await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku, quantity: 2));
        placed.IsSuccess.ShouldBeTrue(placed.Error?.Message);
        var order = placed.Value.Order;
        order.Status.ShouldBe("Paid");
        var stored = await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.SingleAsync(o => o.Id == order.Id));
        stored.CustomerEmail.ShouldBe(OrderingTestHost.EmailOf(user), "checkout stores the signed-in user's email on the order");

        (await host.DeliverOutboxAsync()).ShouldBeGreaterThan(0);
        (await host.RedeliverOutboxAsync()).ShouldBeGreaterThan(0, "the OrderPaid row really was delivered a second time");

        var mail = host.Emails.Sent.ShouldHaveSingleItem();
        mail.To.ShouldBe(OrderingTestHost.EmailOf(user));
        mail.Subject.ShouldContain(order.Number);
        foreach (var body in new[] { mail.TextBody, mail.HtmlBody! })
        {
            body.ShouldContain(order.Number);
            body.ShouldContain(sku);
            body.ShouldContain("Test " + sku);
            body.ShouldContain("25.00 USD");
            body.ShouldContain($"/orders/{order.Id}");
        }
    }

    [Fact]
    public async Task A_declined_order_sends_one_cancellation_mail_and_no_confirmation()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10);
        var user = OrderingTestHost.NewUser();

        var placed = await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku, card: OrderingTestHost.DecliningCard));
        placed.IsSuccess.ShouldBeFalse();

        await host.DeliverOutboxAsync();
        await host.RedeliverOutboxAsync();

        var mail = host.Emails.Sent.ShouldHaveSingleItem();
        mail.To.ShouldBe(OrderingTestHost.EmailOf(user));
        mail.Subject.ShouldContain("cancelled");
    }

    [Fact]
    public void User_provided_text_is_html_encoded_in_the_html_body_only()
    {
        var id = Guid.NewGuid();
        var paid = new OrderPaid(Guid.NewGuid(), DateTimeOffset.UnixEpoch, id, "R1-<b>", "u", 5m, "USD", "card",
            [new OrderLineInfo("SKU-1", "<script>alert(1)</script> & more", 5m, 1)]);

        var mail = SendOrderConfirmationHandler.Confirmation("ann@example.test", paid);

        var html = mail.HtmlBody.ShouldNotBeNull();
        html.ShouldNotContain("<script>");
        html.ShouldNotContain("<b>");
        html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more");
        html.ShouldContain($"href=\"/orders/{id}\"");
        mail.TextBody.ShouldContain("<script>alert(1)</script> & more");
    }
}
