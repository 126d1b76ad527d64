using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.BuildingBlocks.Application;
using Retail.Modules.Ordering.Application.Orders.Payments;
using Retail.Modules.Ordering.Domain.Orders;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Ordering.IntegrationTests;

/// <summary>Degraded mode (SPEC A3): the ordering-payment-retry job completes queued payments once, or cancels at the deadline.</summary>
public sealed class PaymentRetryTests
{
    [Fact]
    public async Task After_the_outage_the_job_pays_the_pending_order_exactly_once()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5);
        var user = OrderingTestHost.NewUser();
        host.SetOutage(true);
        var placed = (await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku, quantity: 2))).Value;
        (await host.RunPaymentRetryAsync()).StillPending.ShouldBe(1, "still down: the order keeps waiting");

        host.SetOutage(false);
        host.Time.Advance(TimeSpan.FromSeconds(31)); // the breaker's break ends: the next call is the half-open probe
        var report = await host.RunPaymentRetryAsync();
        var again = await host.RunPaymentRetryAsync();

        report.Paid.ShouldBe(1);
        again.Paid.ShouldBe(0, "nothing left to pay");
        var order = await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.SingleAsync(o => o.Id == placed.Order.Id));
        order.Status.ShouldBe(OrderStatus.Paid);
        order.ProtectedPaymentDetails.ShouldBeNull();
        (await host.StockOfAsync(sku)).ShouldBe(3);
        var paidEvents = await host.QueryAsync(sp => sp.GetRequiredKeyedService<Retail.BuildingBlocks.Infrastructure.Persistence.ModuleDbContext>("ordering")
            .OutboxMessages.CountAsync(m => m.Type == "ordering.order-paid.v1" && m.Payload.Contains(placed.Order.Id.ToString())));
        paidEvents.ShouldBe(1);
    }

    [Fact]
    public async Task An_order_not_paid_by_its_deadline_is_cancelled_and_its_stock_released()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5);
        var user = OrderingTestHost.NewUser();
        host.SetOutage(true);
        var placed = (await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku, quantity: 2))).Value;
        (await host.StockOfAsync(sku)).ShouldBe(3);

        host.Time.Advance(TimeSpan.FromMinutes(15));
        var report = await host.RunPaymentRetryAsync();
        await host.RunPaymentRetryAsync();

        report.Cancelled.ShouldBe(1);
        var order = await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.SingleAsync(o => o.Id == placed.Order.Id));
        order.Status.ShouldBe(OrderStatus.Cancelled);
        order.StockReleasedAt.ShouldNotBeNull();
        (await host.StockOfAsync(sku)).ShouldBe(5, "released exactly once");
    }

    [Fact]
    public async Task A_cancelled_order_whose_store_credit_was_not_given_back_yet_gets_it_back_from_the_job_once()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5, price: 20m);
        var user = OrderingTestHost.NewUser();
        (await host.SendAsAsync<Result<StoreCreditBalanceDto>>(user, new IssueStoreCredit(user, 5m, "goodwill", "test", Guid.NewGuid().ToString("N")))).IsSuccess.ShouldBeTrue();
        host.SetOutage(true);
        var placed = (await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku, quantity: 2, storeCredit: 5m))).Value;
        placed.PaymentPending.ShouldBeTrue();
        (await BalanceAsync(host, user)).ShouldBe(0m, "the store-credit part is taken while the card waits for the provider");

        // The process died right after the cancellation committed, before the store credit went back and the stock was
        // released. The job finished the stock release of such an order but never gave the $5.00 back.
        await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.Where(o => o.Id == placed.Order.Id)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.Status, OrderStatus.Cancelled)
                .SetProperty(o => o.CancelledAt, host.Time.GetUtcNow())
                .SetProperty(o => o.CancelReason, OrderPaymentProcessor.DeclinedReason)));
        host.SetOutage(false);
        host.Time.Advance(TimeSpan.FromSeconds(31));

        var report = await host.RunPaymentRetryAsync();
        await host.RunPaymentRetryAsync();

        report.Cancelled.ShouldBe(1);
        (await BalanceAsync(host, user)).ShouldBe(5m, "the store credit of the cancelled order is given back, once");
        (await host.StockOfAsync(sku)).ShouldBe(5, "released exactly once");
        var order = await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.SingleAsync(o => o.Id == placed.Order.Id));
        order.StockReleasedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task The_card_payment_of_an_order_cancelled_at_its_deadline_no_longer_counts_as_pending_in_payments()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 5);
        var user = OrderingTestHost.NewUser();
        host.SetOutage(true);
        var placed = (await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku))).Value;
        (await PendingPaymentsAsync(host)).ShouldBe(1, "the card charge waits for the provider");

        host.Time.Advance(TimeSpan.FromMinutes(15));
        (await host.RunPaymentRetryAsync()).Cancelled.ShouldBe(1);
        await host.RunPaymentRetryAsync();

        // The order will never be paid: the charge is abandoned, so "Payments pending" on /admin/payments falls back
        // instead of only ever going up, and a late repeat of the key cannot charge a cancelled order.
        (await PendingPaymentsAsync(host)).ShouldBe(0);
        (await PaymentsOverviewAsync(host)).AbandonedPayments.ShouldBe(1, "the counts still add up to every payment: the charge is counted as abandoned");
        var payment = await host.QueryAsync(sp => sp.GetRequiredService<IPaymentsDbContext>().Payments.SingleAsync(p => p.OrderId == placed.Order.Id));
        payment.Status.ShouldBe(PaymentStatus.Abandoned);
        host.SetOutage(false);
        var late = await host.SendAsAsync<Result<PaymentResult>>(user, new ChargePayment(
            placed.Order.Id, user, payment.Amount, payment.Currency, payment.Method, payment.IdempotencyKey,
            new Dictionary<string, string> { ["cardNumber"] = OrderingTestHost.ValidCard, ["expiry"] = "12/30" }));
        late.Value.Outcome.ShouldBe(PaymentOutcome.Declined, "an abandoned charge is final");
        (await host.QueryAsync(sp => sp.GetRequiredService<IPaymentsDbContext>().Payments.SingleAsync(p => p.Id == payment.Id))).Status.ShouldBe(PaymentStatus.Abandoned);
    }

    [Fact]
    public async Task Store_credit_charged_but_not_recorded_before_a_crash_is_given_back_when_the_deadline_cancels_the_order()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var (sku, user, placed) = await PlaceCreditOrderDuringOutageAsync(host);
        placed.PaymentPending.ShouldBeTrue();
        (await BalanceAsync(host, user)).ShouldBe(0m);

        // The process died after Payments committed the store-credit charge and before Ordering recorded it: the order
        // holds no store-credit payment id. The deadline passes before the job runs again.
        await ForgetStoreCreditPaymentAsync(host, placed.Order.Id);
        host.Time.Advance(TimeSpan.FromMinutes(15));

        var report = await host.RunPaymentRetryAsync();
        await host.RunPaymentRetryAsync();

        report.Cancelled.ShouldBe(1);
        var order = await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.SingleAsync(o => o.Id == placed.Order.Id));
        order.Status.ShouldBe(OrderStatus.Cancelled);
        order.StoreCreditPaymentId.ShouldNotBeNull("the charge found in Payments is recorded before the cancellation");
        (await BalanceAsync(host, user)).ShouldBe(5m, "the store credit is given back, once");
        (await host.StockOfAsync(sku)).ShouldBe(5);
    }

    [Fact]
    public async Task Store_credit_debited_but_its_payment_left_pending_by_a_crash_is_given_back_when_the_deadline_cancels_the_order()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var (_, user, placed) = await PlaceCreditOrderDuringOutageAsync(host);

        // Died one step earlier: the balance was debited (the ledger commits on its own) but the payment row was never
        // marked succeeded, and Ordering recorded nothing.
        await ForgetStoreCreditPaymentAsync(host, placed.Order.Id);
        await host.QueryAsync(sp => sp.GetRequiredService<IPaymentsDbContext>().Payments.Where(p => p.OrderId == placed.Order.Id && p.Method == "store-credit")
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PaymentStatus.Pending).SetProperty(p => p.CompletedAt, (DateTimeOffset?)null)));
        host.Time.Advance(TimeSpan.FromMinutes(15));

        (await host.RunPaymentRetryAsync()).Cancelled.ShouldBe(1);
        await host.RunPaymentRetryAsync();

        (await BalanceAsync(host, user)).ShouldBe(5m, "the debited credit is given back, once");
        (await PendingPaymentsAsync(host)).ShouldBe(0);
    }

    [Fact]
    public async Task A_card_charge_that_went_through_before_a_crash_makes_the_order_paid_at_the_deadline_instead_of_cancelled()
    {
        await using var host = await OrderingTestHost.StartAsync();
        var (sku, user, placed) = await PlaceCreditOrderDuringOutageAsync(host);

        // The provider took the card's $15.00 and Payments recorded it, then the process died before Ordering did (and
        // before it recorded the store credit). Cancelling at the deadline would keep both without a trace on the order.
        await ForgetStoreCreditPaymentAsync(host, placed.Order.Id);
        await host.QueryAsync(sp => sp.GetRequiredService<IPaymentsDbContext>().Payments.Where(p => p.OrderId == placed.Order.Id && p.Method == "card")
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PaymentStatus.Succeeded).SetProperty(p => p.ProviderReference, "sim-before-crash")));
        host.Time.Advance(TimeSpan.FromMinutes(15));

        (await host.RunPaymentRetryAsync()).Paid.ShouldBe(1);

        var order = await host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.SingleAsync(o => o.Id == placed.Order.Id));
        order.Status.ShouldBe(OrderStatus.Paid, "it was paid in time; only the record was late");
        var card = await host.QueryAsync(sp => sp.GetRequiredService<IPaymentsDbContext>().Payments.SingleAsync(p => p.OrderId == placed.Order.Id && p.Method == "card"));
        order.PaymentId.ShouldBe(card.Id);
        order.StoreCreditPaymentId.ShouldNotBeNull();
        (await BalanceAsync(host, user)).ShouldBe(0m);
        (await host.StockOfAsync(sku)).ShouldBe(4);
    }

    /// <summary>A $20.00 order (of a product with 5 in stock) paying $5.00 with store credit, placed while the provider is down.</summary>
    private static async Task<(string Sku, string User, Application.Orders.PlaceOrderResult Placed)> PlaceCreditOrderDuringOutageAsync(OrderingTestHost host)
    {
        var sku = await host.CreateProductAsync(stock: 5, price: 20m);
        var user = OrderingTestHost.NewUser();
        (await host.SendAsAsync<Result<StoreCreditBalanceDto>>(user, new IssueStoreCredit(user, 5m, "goodwill", "test", Guid.NewGuid().ToString("N")))).IsSuccess.ShouldBeTrue();
        host.SetOutage(true);
        return (sku, user, (await host.PlaceOrderAsync(user, OrderingTestHost.Checkout(sku, quantity: 1, storeCredit: 5m))).Value);
    }

    /// <summary>A crash after Payments took the store credit and before Ordering recorded it: the order holds no store-credit payment id.</summary>
    private static Task ForgetStoreCreditPaymentAsync(OrderingTestHost host, Guid orderId) =>
        host.QueryAsync(sp => sp.GetRequiredService<IOrderingDbContext>().Orders.Where(o => o.Id == orderId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.StoreCreditPaymentId, (Guid?)null)));

    private static async Task<int> PendingPaymentsAsync(OrderingTestHost host) => (await PaymentsOverviewAsync(host)).PendingPayments;

    private static async Task<PaymentsOverviewDto> PaymentsOverviewAsync(OrderingTestHost host) =>
        (await host.SendAsAsync<Result<PaymentsOverviewDto>>("admin-" + Guid.NewGuid().ToString("N")[..8], new GetPaymentsOverview())).Value;

    private static async Task<decimal> BalanceAsync(OrderingTestHost host, string user) =>
        (await host.SendAsAsync<Result<StoreCreditBalanceDto>>(user, new GetStoreCreditBalance(user))).Value.Balance;
}
