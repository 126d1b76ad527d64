using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Payments.Application.Refunds.SweepPendingRefunds;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.Domain.Refunds;
using Retail.Modules.Payments.Infrastructure.Persistence;

namespace Retail.Modules.Payments.IntegrationTests;

/// <summary>The refund sweep gets past refunds that keep failing instead of retrying the same oldest batch for ever.</summary>
public sealed class RefundSweepProgressTests(PaymentsDatabase database) : IClassFixture<PaymentsDatabase>
{
    /// <summary>A method no longer registered: every attempt is "unavailable", without the breaker ever opening.</summary>
    private const string RetiredMethod = "retired-wallet";

    [Fact]
    public async Task More_than_a_batch_of_refunds_that_keep_failing_do_not_stop_a_newer_refund_from_being_paid_in_a_later_run()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var stuck = new List<Guid>();
        for (var i = 0; i < PendingRefundSweep.BatchSize + 5; i++)
        {
            stuck.Add(await PendingRefundAsync(host, RetiredMethod, attemptedBefore: false));
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        (await host.RunRefundSweepAsync()).ShouldBe(0);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var paid = (await host.ChargeAsync(PaymentsTestHost.CardCharge(30m))).Value;
        // Newer than every stuck one, and already tried once when it was requested, like any refund the sweep inherits.
        var newer = await PendingRefundAsync(host, paidPaymentId: paid.PaymentId, attemptedBefore: true);

        var runs = 1;
        while (runs < 4 && await StatusAsync(host, newer) == RefundStatus.Pending)
        {
            host.Time.Advance(TimeSpan.FromMinutes(1));
            await host.RunRefundSweepAsync();
            runs++;
        }

        (await StatusAsync(host, newer)).ShouldBe(RefundStatus.Succeeded, "the stuck refunds must not hold it back for ever");
        runs.ShouldBeLessThanOrEqualTo(3);
        var stuckRows = await host.QueryAsync(db => db.Refunds.AsNoTracking().Where(r => stuck.Contains(r.Id)).ToListAsync());
        stuckRows.ShouldAllBe(r => r.Status == RefundStatus.Pending);
        stuckRows.Max(r => r.Attempts).ShouldBeLessThanOrEqualTo(runs, "no refund is tried more than once per run");
    }

    private static Task<RefundStatus> StatusAsync(PaymentsTestHost host, Guid refundId) =>
        host.QueryAsync(db => db.Refunds.AsNoTracking().Where(r => r.Id == refundId).Select(r => r.Status).SingleAsync());

    /// <summary>A Pending refund as the refund command leaves it when the provider could not be reached.</summary>
    private static async Task<Guid> PendingRefundAsync(PaymentsTestHost host, string method = "card", Guid? paidPaymentId = null, bool attemptedBefore = false)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        Payment payment;
        if (paidPaymentId is { } id)
        {
            payment = await db.Payments.SingleAsync(p => p.Id == id);
        }
        else
        {
            payment = Payment.Start(new PaymentRequestDetails(Guid.NewGuid(), "customer-1", 20m, "EUR", method, PaymentsTestHost.NewKey()), host.Time.GetUtcNow());
            payment.MarkSucceeded("ref-" + Guid.NewGuid().ToString("N"), host.Time.GetUtcNow());
            db.Payments.Add(payment);
        }

        var refund = Refund.Request(payment, 10m, PaymentsTestHost.NewKey(), "returned", host.Time.GetUtcNow());
        if (attemptedBefore)
        {
            refund.RecordUnavailable("provider unavailable");
        }

        db.Refunds.Add(refund);
        await db.SaveChangesAsync();
        return refund.Id;
    }
}
