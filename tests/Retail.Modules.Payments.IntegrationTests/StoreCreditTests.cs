using Microsoft.EntityFrameworkCore;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.IntegrationTests;

/// <summary>Store credit as a payment method: one conditional debit decides, the ledger records every change once.</summary>
public sealed class StoreCreditTests(PaymentsDatabase database) : IClassFixture<PaymentsDatabase>
{
    private static ChargePayment StoreCreditCharge(string customerId, decimal amount) =>
        new(Guid.NewGuid(), customerId, amount, "EUR", "store-credit", PaymentsTestHost.NewKey(), null);

    private static string NewCustomer() => "customer-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Twenty_parallel_debits_of_10_from_100_leave_exactly_ten_paid_and_a_zero_balance()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var customer = NewCustomer();
        (await host.IssueStoreCreditAsync(new IssueStoreCredit(customer, 100m, "goodwill", "ticket-1", PaymentsTestHost.NewKey()))).Value.Balance.ShouldBe(100m);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => host.ChargeAsync(StoreCreditCharge(customer, 10m))));

        results.ShouldAllBe(r => r.IsSuccess);
        results.Count(r => r.Value.Outcome == PaymentOutcome.Succeeded).ShouldBe(10);
        results.Count(r => r.Value.Outcome == PaymentOutcome.Declined).ShouldBe(10);
        var (balance, debits) = await host.QueryAsync(async db => (
            await db.StoreCreditAccounts.Where(a => a.CustomerId == customer).Select(a => a.Balance).SingleAsync(),
            await db.StoreCreditEntries.Where(e => e.CustomerId == customer && e.Amount < 0).ToListAsync()));
        balance.ShouldBe(0m);
        debits.Count.ShouldBe(10);
        debits.ShouldAllBe(e => e.Amount == -10m);
        debits.Select(e => e.BalanceAfter).OrderBy(b => b).ShouldBe([0m, 10m, 20m, 30m, 40m, 50m, 60m, 70m, 80m, 90m]);
    }

    [Fact]
    public async Task Issuing_credit_is_idempotent_and_published_once()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var customer = NewCustomer();
        var issue = new IssueStoreCredit(customer, 25.50m, "return RMA-1", "RMA-1", PaymentsTestHost.NewKey());

        (await host.IssueStoreCreditAsync(issue)).Value.Balance.ShouldBe(25.50m);
        (await host.IssueStoreCreditAsync(issue)).Value.Balance.ShouldBe(25.50m);
        (await host.IssueStoreCreditAsync(issue with { IdempotencyKey = PaymentsTestHost.NewKey() })).Value.Balance.ShouldBe(51m);

        var events = await host.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.Type == "payments.store-credit-issued.v1" && m.Payload.Contains(customer)));
        events.ShouldBe(2);
        (await host.QueryAsync(db => db.StoreCreditEntries.CountAsync(e => e.CustomerId == customer))).ShouldBe(2);
    }

    [Fact]
    public async Task Reusing_an_issue_key_for_another_amount_or_customer_is_refused_and_changes_nothing()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var customer = NewCustomer();
        var other = NewCustomer();
        var issue = new IssueStoreCredit(customer, 25m, "return RMA-2", "RMA-2", PaymentsTestHost.NewKey());
        (await host.IssueStoreCreditAsync(issue)).Value.Balance.ShouldBe(25m);

        var otherAmount = await host.IssueStoreCreditAsync(issue with { Amount = 40m });
        var otherCustomer = await host.IssueStoreCreditAsync(issue with { CustomerId = other });

        otherAmount.IsSuccess.ShouldBeFalse();
        otherAmount.Error!.Code.ShouldBe("payments.idempotency_key_reused");
        otherAmount.Error.Kind.ShouldBe(BuildingBlocks.Application.ErrorKind.Unprocessable);
        otherCustomer.IsSuccess.ShouldBeFalse();
        otherCustomer.Error!.Code.ShouldBe("payments.idempotency_key_reused");
        (await host.IssueStoreCreditAsync(issue with { CustomerId = " " + customer + " " })).Value.Balance.ShouldBe(25m, "the same request, spaces aside, is a repeat");
        (await host.QueryAsync(db => db.StoreCreditEntries.CountAsync(e => e.CustomerId == customer || e.CustomerId == other))).ShouldBe(1);
    }

    [Fact]
    public async Task A_balance_built_from_several_issues_can_be_spent_and_refunded_in_one_payment_above_the_issue_limit()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var customer = NewCustomer();
        await host.IssueStoreCreditAsync(new IssueStoreCredit(customer, 100_000m, "return RMA-3", "RMA-3", PaymentsTestHost.NewKey()));
        await host.IssueStoreCreditAsync(new IssueStoreCredit(customer, 100_000m, "return RMA-4", "RMA-4", PaymentsTestHost.NewKey()));

        var paid = (await host.ChargeAsync(StoreCreditCharge(customer, 150_000m))).Value;
        paid.Outcome.ShouldBe(PaymentOutcome.Succeeded);
        (await host.QueryAsync(db => db.StoreCreditAccounts.SingleAsync(a => a.CustomerId == customer))).Balance.ShouldBe(50_000m);

        (await host.RefundAsync(new RefundPayment(paid.PaymentId, 150_000m, PaymentsTestHost.NewKey(), "order cancelled"))).Value.Outcome.ShouldBe(RefundOutcome.Succeeded);
        (await host.QueryAsync(db => db.StoreCreditAccounts.SingleAsync(a => a.CustomerId == customer))).Balance.ShouldBe(200_000m);
    }

    [Fact]
    public async Task Paying_more_than_the_balance_is_declined_and_changes_nothing()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var customer = NewCustomer();
        await host.IssueStoreCreditAsync(new IssueStoreCredit(customer, 10m, "goodwill", "t", PaymentsTestHost.NewKey()));

        var result = (await host.ChargeAsync(StoreCreditCharge(customer, 10.01m))).Value;

        result.Outcome.ShouldBe(PaymentOutcome.Declined);
        (await host.QueryAsync(db => db.StoreCreditAccounts.SingleAsync(a => a.CustomerId == customer))).Balance.ShouldBe(10m);
        (await host.ChargeAsync(StoreCreditCharge(NewCustomer(), 1m))).Value.Outcome.ShouldBe(PaymentOutcome.Declined, "no account, no credit");
    }

    [Fact]
    public async Task A_store_credit_payment_is_debited_once_and_refunded_back_to_the_balance()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var customer = NewCustomer();
        await host.IssueStoreCreditAsync(new IssueStoreCredit(customer, 30m, "goodwill", "t", PaymentsTestHost.NewKey()));
        var charge = StoreCreditCharge(customer, 20m);

        var paid = (await host.ChargeAsync(charge)).Value;
        (await host.ChargeAsync(charge)).Value.ShouldBe(paid);
        (await host.RefundAsync(new RefundPayment(paid.PaymentId, 5m, PaymentsTestHost.NewKey(), "one item back"))).Value.Outcome.ShouldBe(RefundOutcome.Succeeded);

        paid.Outcome.ShouldBe(PaymentOutcome.Succeeded);
        (await host.QueryAsync(db => db.StoreCreditAccounts.SingleAsync(a => a.CustomerId == customer))).Balance.ShouldBe(15m);
        (await host.QueryAsync(db => db.StoreCreditEntries.CountAsync(e => e.CustomerId == customer))).ShouldBe(3);
    }
}
