using Retail.BuildingBlocks.Domain;
using Retail.Modules.Ordering.Domain.Orders;

namespace Retail.Modules.Ordering.UnitTests;

public sealed class OrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private static Order NewOrder(decimal storeCredit = 0m) => Order.Create(
        Guid.NewGuid(),
        "R261101-ABCDEF12",
        "customer-1",
        [OrderLine.Create("bk-1", "Book", 10.50m, 2), OrderLine.Create("GD-2", "Hose", 4m, 1)],
        new ShippingAddress("Ann", "1 Main St", null, "Springfield", "12345", "US"),
        "card",
        "order-key",
        storeCredit,
        "USD",
        Now);

    [Fact]
    public void Totals_come_from_the_locked_line_prices_and_store_credit_is_paid_first()
    {
        var order = NewOrder(storeCredit: 5m);

        order.Status.ShouldBe(OrderStatus.Pending);
        order.Subtotal.ShouldBe(25m);
        order.Total.ShouldBe(25m);
        order.AmountDueByMethod.ShouldBe(20m);
        order.Lines.ShouldAllBe(l => l.OrderId == order.Id);
        order.Lines[0].Sku.ShouldBe("BK-1");
    }

    [Fact]
    public void Store_credit_above_the_total_breaks_the_rule()
    {
        Should.Throw<BusinessRuleValidationException>(() => NewOrder(storeCredit: 25.01m)).RuleName.ShouldBe(nameof(StoreCreditCannotExceedTotalRule));
    }

    [Fact]
    public void The_happy_path_walks_pending_to_delivered_raising_one_event_per_step()
    {
        var order = NewOrder();

        order.AwaitPayment(Now.AddMinutes(15), "protected", Now);
        order.MarkPaid(Guid.NewGuid(), Now);
        order.MarkShipped(Now);
        order.MarkDelivered(Now);

        order.Status.ShouldBe(OrderStatus.Delivered);
        order.ProtectedPaymentDetails.ShouldBeNull("details are forgotten once paid");
        order.DomainEvents.Select(e => e.GetType().Name).ShouldBe(
            [nameof(OrderPlacedDomainEvent), nameof(OrderPaidDomainEvent), nameof(OrderShippedDomainEvent), nameof(OrderDeliveredDomainEvent)]);
    }

    [Theory]
    [InlineData(OrderStatus.Pending, OrderStatus.Paid)]
    [InlineData(OrderStatus.PaymentPending, OrderStatus.Shipped)]
    [InlineData(OrderStatus.Paid, OrderStatus.Cancelled)]
    [InlineData(OrderStatus.Cancelled, OrderStatus.Paid)]
    [InlineData(OrderStatus.Delivered, OrderStatus.Shipped)]
    [InlineData(OrderStatus.Shipped, OrderStatus.Paid)]
    public void Illegal_transitions_are_refused(OrderStatus from, OrderStatus to)
    {
        OrderStatusTransitionMustBeAllowedRule.IsAllowed(from, to).ShouldBeFalse();
        new OrderStatusTransitionMustBeAllowedRule(from, to).IsBroken().ShouldBeTrue();
    }

    [Fact]
    public void A_cancelled_order_cannot_be_paid_or_shipped()
    {
        var order = NewOrder();
        order.AwaitPayment(Now.AddMinutes(15), null, Now);
        order.Cancel("declined", Now);

        Should.Throw<BusinessRuleValidationException>(() => order.MarkPaid(null, Now)).RuleName.ShouldBe(nameof(OrderStatusTransitionMustBeAllowedRule));
        Should.Throw<BusinessRuleValidationException>(() => order.MarkShipped(Now));
        order.Status.ShouldBe(OrderStatus.Cancelled);
    }

    [Fact]
    public void The_payment_deadline_applies_only_while_payment_is_pending()
    {
        var order = NewOrder();
        order.AwaitPayment(Now.AddMinutes(15), null, Now);

        order.IsPastPaymentDeadline(Now.AddMinutes(14)).ShouldBeFalse();
        order.IsPastPaymentDeadline(Now.AddMinutes(15)).ShouldBeTrue();
        order.MarkPaid(null, Now);
        order.IsPastPaymentDeadline(Now.AddHours(1)).ShouldBeFalse();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Line_quantity_is_1_to_99(int quantity) =>
        Should.Throw<BusinessRuleValidationException>(() => OrderLine.Create("A", "A", 1m, quantity)).RuleName.ShouldBe(nameof(OrderLineQuantityMustBeInRangeRule));
}
