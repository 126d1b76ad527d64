using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Identity.IntegrationEvents;
using Retail.Modules.Monitoring.Domain.Totals;
using Retail.Modules.Ordering.IntegrationEvents;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Monitoring.IntegrationTests;

/// <summary>Business totals kept from integration events: equal to what the events said, once per event, durable.</summary>
public sealed class BusinessTotalsTests : IAsyncLifetime
{
    private readonly MonitoringFixture _app = new();

    private DateTimeOffset Now => _app.Time.GetUtcNow();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    private PaymentSucceeded Paid(decimal amount, DateTimeOffset? at = null) =>
        new(Guid.NewGuid(), at ?? Now, Guid.NewGuid(), Guid.NewGuid(), "customer-1", amount, "EUR", "card", "ref");

    [Fact]
    public async Task Totals_equal_what_the_events_said()
    {
        var delivered = await _app.DeliverAsync(
            Paid(19.99m),
            Paid(5.01m),
            new PaymentFailed(Guid.NewGuid(), Now, Guid.NewGuid(), Guid.NewGuid(), "c", 7.50m, "EUR", "card", "declined"),
            new RefundIssued(Guid.NewGuid(), Now, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "c", 4.25m, "EUR", "damaged"),
            new StoreCreditIssued(Guid.NewGuid(), Now, "c", 10m, 10m, "goodwill", "ref-1"),
            new CustomerRegistered(Guid.NewGuid(), Now, "u1", "a@example.test", "A"),
            new CustomerRegistered(Guid.NewGuid(), Now, "u2", "b@example.test", "B"),
            new ProductUpserted(Guid.NewGuid(), Now, Guid.NewGuid(), "EL-0001", "Lamp", "electronics", 9.99m, 5, true),
            new StockChanged(Guid.NewGuid(), Now, Guid.NewGuid(), "EL-0001", 10, 15, "restock"),
            new StockChanged(Guid.NewGuid(), Now, Guid.NewGuid(), "EL-0001", -3, 12, "sold"));

        delivered.ShouldBe(10);
        var totals = await _app.TotalsAsync();
        totals[BusinessCounters.PaymentsSucceeded].ShouldBe(2);
        totals[BusinessCounters.PaymentsSucceededAmount].ShouldBe(2500);
        totals[BusinessCounters.PaymentsFailed].ShouldBe(1);
        totals[BusinessCounters.PaymentsFailedAmount].ShouldBe(750);
        totals[BusinessCounters.RefundsIssued].ShouldBe(1);
        totals[BusinessCounters.RefundsIssuedAmount].ShouldBe(425);
        totals[BusinessCounters.StoreCreditIssued].ShouldBe(1);
        totals[BusinessCounters.StoreCreditIssuedAmount].ShouldBe(1000);
        totals[BusinessCounters.CustomersRegistered].ShouldBe(2);
        totals[BusinessCounters.ProductsUpserted].ShouldBe(1);
        totals[BusinessCounters.StockChanges].ShouldBe(2);
        totals[BusinessCounters.StockUnitsIn].ShouldBe(10);
        totals[BusinessCounters.StockUnitsOut].ShouldBe(3);
    }

    [Fact]
    public async Task A_product_batch_counts_as_its_products_and_stock_changes_would_once()
    {
        ProductSnapshot[] products = [.. Enumerable.Range(1, 3).Select(i => new ProductSnapshot(Guid.NewGuid(), $"PB-{i}", "P", "partner-products", 1m, i, true))];
        ProductStockChange[] changes = [new(Guid.NewGuid(), "PB-9", 4, 4, "feed"), new(Guid.NewGuid(), "PB-8", -2, 0, "feed")];
        await _app.DeliverAsync(
            new ProductBatchChanged(Guid.NewGuid(), Now, products, changes),
            new ProductBatchChanged(Guid.NewGuid(), Now, products[..1], []));

        await _app.RedeliverEverythingAsync();

        var totals = await _app.TotalsAsync();
        totals[BusinessCounters.ProductsUpserted].ShouldBe(4);
        totals[BusinessCounters.StockChanges].ShouldBe(2);
        totals[BusinessCounters.StockUnitsIn].ShouldBe(4);
        totals[BusinessCounters.StockUnitsOut].ShouldBe(2);
    }

    [Fact]
    public async Task Today_counts_events_by_the_UTC_day_they_happened()
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        await _app.DeliverAsync(Paid(1m), Paid(2m, Now.AddDays(-1)), Paid(3m));

        var day = await _app.DayAsync(today);
        day[BusinessCounters.PaymentsSucceeded].ShouldBe(2);
        day[BusinessCounters.PaymentsSucceededAmount].ShouldBe(400);
        (await _app.DayAsync(today.AddDays(-1)))[BusinessCounters.PaymentsSucceeded].ShouldBe(1);
        (await _app.TotalsAsync())[BusinessCounters.PaymentsSucceeded].ShouldBe(3);
    }

    [Fact]
    public async Task Paid_orders_and_revenue_come_from_ordering_events_once_each()
    {
        OrderLineInfo[] lines = [new("BK-0001", "Book", 12.5m, 2)];
        await _app.DeliverAsync(
            new OrderPlaced(Guid.NewGuid(), Now, Guid.NewGuid(), "R-1", "c1", 25m, "USD", lines),
            new OrderPaid(Guid.NewGuid(), Now, Guid.NewGuid(), "R-1", "c1", 25m, "USD", "card", lines),
            new OrderPaid(Guid.NewGuid(), Now, Guid.NewGuid(), "R-2", "c2", 19.99m, "USD", "paypal", lines),
            new OrderCancelled(Guid.NewGuid(), Now, Guid.NewGuid(), "R-3", "c3", "declined"));

        await _app.RedeliverEverythingAsync();

        var totals = await _app.TotalsAsync();
        totals[BusinessCounters.OrdersPlaced].ShouldBe(1);
        totals[BusinessCounters.OrdersPaid].ShouldBe(2);
        totals[BusinessCounters.OrdersRevenue].ShouldBe(4499);
        totals[BusinessCounters.OrdersCancelled].ShouldBe(1);
    }

    [Fact]
    public async Task A_duplicate_delivery_does_not_count_twice()
    {
        await _app.DeliverAsync(Paid(10m), new CustomerRegistered(Guid.NewGuid(), Now, "u1", "a@example.test", "A"));

        var redelivered = await _app.RedeliverEverythingAsync();

        redelivered.ShouldBe(2, "the relay delivered both rows again; the inbox must make the handler skip them");
        var totals = await _app.TotalsAsync();
        totals[BusinessCounters.PaymentsSucceeded].ShouldBe(1);
        totals[BusinessCounters.PaymentsSucceededAmount].ShouldBe(1000);
        totals[BusinessCounters.CustomersRegistered].ShouldBe(1);
        (await _app.DayAsync(DateOnly.FromDateTime(Now.UtcDateTime)))[BusinessCounters.PaymentsSucceeded].ShouldBe(1);
    }

    [Fact]
    public async Task Many_events_for_the_same_counter_all_count()
    {
        await _app.DeliverAsync([.. Enumerable.Range(1, 40).Select(i => Paid(i))]);

        var totals = await _app.TotalsAsync();
        totals[BusinessCounters.PaymentsSucceeded].ShouldBe(40);
        totals[BusinessCounters.PaymentsSucceededAmount].ShouldBe(Enumerable.Range(1, 40).Sum() * 100);
    }

    [Fact]
    public async Task Totals_survive_a_restart()
    {
        await _app.DeliverAsync(Paid(12.34m), new RefundIssued(Guid.NewGuid(), Now, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "c", 2m, "EUR", "r"));
        var before = await _app.TotalsAsync();

        await _app.RestartAsync();

        var after = await _app.TotalsAsync();
        after.ShouldBe(before);
        after[BusinessCounters.PaymentsSucceededAmount].ShouldBe(1234);

        await _app.DeliverAsync(Paid(1m));
        (await _app.TotalsAsync())[BusinessCounters.PaymentsSucceeded].ShouldBe(2);
    }
}
