using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.Modules.Payments.Domain.Refunds;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.IntegrationTests;

/// <summary>Refunds: never more than paid (422), queued while the provider is down, completed once by the sweep.</summary>
public sealed class RefundTests(PaymentsDatabase database) : IClassFixture<PaymentsDatabase>
{
    private const string RefundIssued = "payments.refund-issued.v1";

    private static async Task<PaymentResult> PaidAsync(PaymentsTestHost host, decimal amount = 50m)
    {
        var paid = (await host.ChargeAsync(PaymentsTestHost.CardCharge(amount))).Value;
        paid.Outcome.ShouldBe(PaymentOutcome.Succeeded);
        return paid;
    }

    [Fact]
    public async Task A_refund_goes_back_through_the_provider_once_and_publishes_RefundIssued()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var paid = await PaidAsync(host);
        var refund = new RefundPayment(paid.PaymentId, 20m, PaymentsTestHost.NewKey(), "damaged in transit");

        var first = (await host.RefundAsync(refund)).Value;
        var repeat = (await host.RefundAsync(refund)).Value;

        first.Outcome.ShouldBe(RefundOutcome.Succeeded);
        repeat.RefundId.ShouldBe(first.RefundId);
        host.Gateway.MoneyMovementsFor(refund.IdempotencyKey).ShouldBe(1);
        (await host.OutboxCountAsync(RefundIssued, first.RefundId)).ShouldBe(1);
        (await host.QueryAsync(db => db.Payments.SingleAsync(p => p.Id == paid.PaymentId))).RefundedAmount.ShouldBe(20m);
    }

    [Fact]
    public async Task Refunds_never_exceed_what_was_paid()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var paid = await PaidAsync(host, 50m);
        (await host.RefundAsync(new RefundPayment(paid.PaymentId, 30m, PaymentsTestHost.NewKey(), "part"))).Value.Outcome.ShouldBe(RefundOutcome.Succeeded);

        var tooMuch = await host.RefundAsync(new RefundPayment(paid.PaymentId, 20.01m, PaymentsTestHost.NewKey(), "rest and a cent"));

        tooMuch.IsSuccess.ShouldBeFalse();
        tooMuch.Error!.Code.ShouldBe("payments.refund_exceeds_paid");
        tooMuch.Error.Kind.ShouldBe(ErrorKind.Unprocessable);
        tooMuch.Error.Message.ShouldContain("20.00");
        (await host.RefundAsync(new RefundPayment(paid.PaymentId, 20m, PaymentsTestHost.NewKey(), "rest"))).Value.Outcome.ShouldBe(RefundOutcome.Succeeded);
        (await host.QueryAsync(db => db.Refunds.CountAsync(r => r.PaymentId == paid.PaymentId))).ShouldBe(2);
        (await host.QueryAsync(db => db.Payments.SingleAsync(p => p.Id == paid.PaymentId))).RefundedAmount.ShouldBe(50m);
    }

    [Fact]
    public async Task Parallel_refunds_cannot_together_exceed_what_was_paid()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var paid = await PaidAsync(host, 50m);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            host.RefundAsync(new RefundPayment(paid.PaymentId, 10m, PaymentsTestHost.NewKey(), "parallel"))));

        results.Count(r => r.IsSuccess).ShouldBe(5);
        // Summed here, not in SQL: on SQLite money is stored as scaled integers (ADR 0002).
        (await host.QueryAsync(db => db.Refunds.Where(r => r.PaymentId == paid.PaymentId).Select(r => r.Amount).ToListAsync())).Sum().ShouldBe(50m);
        (await host.QueryAsync(db => db.Payments.SingleAsync(p => p.Id == paid.PaymentId))).RefundedAmount.ShouldBe(50m);
    }

    [Fact]
    public async Task Declined_or_unknown_payments_cannot_be_refunded()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var declined = (await host.ChargeAsync(PaymentsTestHost.CardCharge(card: PaymentsTestHost.DecliningCard))).Value;

        (await host.RefundAsync(new RefundPayment(declined.PaymentId, 1m, PaymentsTestHost.NewKey(), "x"))).Error!.Code.ShouldBe("payments.payment_not_refundable");
        (await host.RefundAsync(new RefundPayment(Guid.NewGuid(), 1m, PaymentsTestHost.NewKey(), "x"))).Error!.Kind.ShouldBe(ErrorKind.NotFound);
    }

    [Fact]
    public async Task A_refund_while_the_provider_is_down_is_kept_pending_and_the_sweep_completes_it_exactly_once()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var paid = await PaidAsync(host);
        // Let the successful charge leave the breaker's 60 s sampling window: with a failure ratio of 1.0 a success
        // inside the window would keep the breaker closed, and this test wants it open.
        host.Time.Advance(TimeSpan.FromSeconds(61));
        host.SetGateway(s => s with { Outage = true });
        var command = new RefundPayment(paid.PaymentId, 15m, PaymentsTestHost.NewKey(), "returned");

        var accepted = (await host.RefundAsync(command)).Value;

        accepted.Outcome.ShouldBe(RefundOutcome.Pending);
        accepted.Message.ShouldBe("The refund is accepted and will be completed shortly.");
        (await host.QueryAsync(db => db.Refunds.SingleAsync(r => r.Id == accepted.RefundId))).Status.ShouldBe(RefundStatus.Pending);
        (await host.OutboxCountAsync(RefundIssued, accepted.RefundId)).ShouldBe(0);

        // Breaker open: the sweep does not even try.
        (await host.RunRefundSweepAsync()).ShouldBe(0);
        var callsWhileOpen = host.Gateway.CallsFor(command.IdempotencyKey);

        host.SetGateway(s => s with { Outage = false });
        host.Time.Advance(TimeSpan.FromSeconds(30));
        (await host.RunRefundSweepAsync()).ShouldBe(1);
        (await host.RunRefundSweepAsync()).ShouldBe(0);
        var repeat = (await host.RefundAsync(command)).Value;

        callsWhileOpen.ShouldBe(3);
        repeat.Outcome.ShouldBe(RefundOutcome.Succeeded);
        repeat.RefundId.ShouldBe(accepted.RefundId);
        host.Gateway.MoneyMovementsFor(command.IdempotencyKey).ShouldBe(1);
        (await host.OutboxCountAsync(RefundIssued, accepted.RefundId)).ShouldBe(1);
        var refund = await host.QueryAsync(db => db.Refunds.SingleAsync(r => r.Id == accepted.RefundId));
        refund.Status.ShouldBe(RefundStatus.Succeeded);
        refund.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task A_pending_refund_survives_a_restart_because_the_table_is_the_work_list()
    {
        Guid refundId;
        string key;
        Infrastructure.Gateway.PaymentGatewaySimulator provider;
        {
            await using var before = await PaymentsTestHost.StartAsync(database);
            var paid = await PaidAsync(before);
            before.SetGateway(s => s with { Outage = true });
            key = PaymentsTestHost.NewKey();
            refundId = (await before.RefundAsync(new RefundPayment(paid.PaymentId, 5m, key, "restart"))).Value.RefundId;
            provider = before.Gateway;
        }

        // A new host is a restarted process (new breaker, nothing remembered in memory); the provider is the same one.
        await using var after = await PaymentsTestHost.StartAsync(database, services =>
            services.AddSingleton(provider));
        provider.Apply(provider.Current with { Outage = false });

        (await after.RunRefundSweepAsync()).ShouldBe(1);

        (await after.QueryAsync(db => db.Refunds.SingleAsync(r => r.Id == refundId))).Status.ShouldBe(RefundStatus.Succeeded);
        provider.MoneyMovementsFor(key).ShouldBe(1);
        (await after.OutboxCountAsync(RefundIssued, refundId)).ShouldBe(1);
    }
}
