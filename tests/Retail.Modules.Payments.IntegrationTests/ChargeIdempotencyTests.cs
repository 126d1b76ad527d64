using Microsoft.EntityFrameworkCore;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.IntegrationTests;

/// <summary>Idempotency keys and degraded mode (SPEC A3): a retry never charges twice, an outage leaves a resumable Pending row.</summary>
public sealed class ChargeIdempotencyTests(PaymentsDatabase database) : IClassFixture<PaymentsDatabase>
{
    private const string Succeeded = "payments.payment-succeeded.v1";

    [Fact]
    public async Task The_same_key_twice_makes_one_payment_row_and_one_charge()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var charge = PaymentsTestHost.CardCharge(amount: 42.50m);

        var first = (await host.ChargeAsync(charge)).Value;
        var second = (await host.ChargeAsync(charge)).Value;

        first.Outcome.ShouldBe(PaymentOutcome.Succeeded);
        second.ShouldBe(first);
        (await host.QueryAsync(db => db.Payments.CountAsync(p => p.IdempotencyKey == charge.IdempotencyKey))).ShouldBe(1);
        host.Gateway.CallsFor(charge.IdempotencyKey).ShouldBe(1, "a decided payment answers from its row");
        host.Gateway.MoneyMovementsFor(charge.IdempotencyKey).ShouldBe(1);
        (await host.OutboxCountAsync(Succeeded, first.PaymentId)).ShouldBe(1);
        var payment = await host.QueryAsync(db => db.Payments.SingleAsync(p => p.Id == first.PaymentId));
        payment.Amount.ShouldBe(42.50m);
        payment.ProviderReference.ShouldBe(first.ProviderReference);
        payment.CompletedAt.ShouldBe(host.Time.GetUtcNow());
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_charge_once()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var charge = PaymentsTestHost.CardCharge();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.ChargeAsync(charge)));

        results.ShouldAllBe(r => r.IsSuccess && r.Value.Outcome == PaymentOutcome.Succeeded);
        results.Select(r => r.Value.PaymentId).Distinct().Count().ShouldBe(1);
        (await host.QueryAsync(db => db.Payments.CountAsync(p => p.IdempotencyKey == charge.IdempotencyKey))).ShouldBe(1);
        host.Gateway.MoneyMovementsFor(charge.IdempotencyKey).ShouldBe(1);
        (await host.OutboxCountAsync(Succeeded, results[0].Value.PaymentId)).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_key_for_a_different_payment_is_refused()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var charge = PaymentsTestHost.CardCharge(amount: 10m);
        await host.ChargeAsync(charge);

        var reused = await host.ChargeAsync(charge with { Amount = 11m });

        reused.IsSuccess.ShouldBeFalse();
        reused.Error!.Code.ShouldBe("payments.idempotency_key_reused");
        reused.Error.Kind.ShouldBe(BuildingBlocks.Application.ErrorKind.Unprocessable);
        host.Gateway.MoneyMovementsFor(charge.IdempotencyKey).ShouldBe(1);
    }

    [Fact]
    public async Task Provider_down_leaves_the_payment_pending_and_the_same_key_later_completes_it_exactly_once()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        host.SetGateway(s => s with { Outage = true });
        var charge = PaymentsTestHost.CardCharge();

        var during = (await host.ChargeAsync(charge)).Value;

        during.Outcome.ShouldBe(PaymentOutcome.Unavailable);
        var pending = await host.QueryAsync(db => db.Payments.SingleAsync(p => p.IdempotencyKey == charge.IdempotencyKey));
        pending.Status.ShouldBe(PaymentStatus.Pending);
        (await host.OutboxCountAsync(Succeeded, pending.Id)).ShouldBe(0);

        // Still down and the breaker open: another try is refused at once, still nothing charged.
        (await host.ChargeAsync(charge)).Value.Outcome.ShouldBe(PaymentOutcome.Unavailable);

        host.SetGateway(s => s with { Outage = false });
        host.Time.Advance(TimeSpan.FromSeconds(30));
        var after = (await host.ChargeAsync(charge)).Value;
        var again = (await host.ChargeAsync(charge)).Value;

        after.Outcome.ShouldBe(PaymentOutcome.Succeeded);
        after.PaymentId.ShouldBe(during.PaymentId);
        again.ShouldBe(after);
        host.Gateway.MoneyMovementsFor(charge.IdempotencyKey).ShouldBe(1);
        (await host.QueryAsync(db => db.Payments.CountAsync(p => p.IdempotencyKey == charge.IdempotencyKey))).ShouldBe(1);
        (await host.OutboxCountAsync(Succeeded, during.PaymentId)).ShouldBe(1);
        var paid = await host.QueryAsync(db => db.Payments.SingleAsync(p => p.Id == during.PaymentId));
        paid.Status.ShouldBe(PaymentStatus.Succeeded);
        paid.Attempts.ShouldBe(3);
        host.Circuit.Snapshot().LastMttr.ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Invalid_requests_are_refused_per_field_and_write_nothing()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var charge = PaymentsTestHost.CardCharge(card: "4242424242424241") with { Amount = -5m, Currency = "EURO" };

        var result = await host.ChargeAsync(charge);

        result.IsSuccess.ShouldBeFalse();
        result.Error!.Kind.ShouldBe(BuildingBlocks.Application.ErrorKind.Validation);
        result.Error.FieldErrors.Keys.ShouldBe(["Amount", "Currency", "Details.cardNumber"], ignoreOrder: true);
        (await host.QueryAsync(db => db.Payments.CountAsync(p => p.IdempotencyKey == charge.IdempotencyKey))).ShouldBe(0);
        host.Gateway.CallsFor(charge.IdempotencyKey).ShouldBe(0);

        var unknown = await host.ChargeAsync(charge with { Method = "cheque", Amount = 5m, Currency = "EUR" });
        unknown.Error!.FieldErrors.Keys.ShouldBe(["Method"]);
    }

    [Fact]
    public async Task Tables_carry_the_module_prefix_and_history_table_on_sqlite()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);

        var tables = await host.QueryAsync(db => db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table'").ToListAsync());

        tables.ShouldContain("payments_Payments");
        tables.ShouldContain("payments_Refunds");
        tables.ShouldContain("payments_StoreCreditAccounts");
        tables.ShouldContain("payments_StoreCreditEntries");
        tables.ShouldContain("payments_OutboxMessages");
        tables.ShouldContain("__payments_migrations");
        host.Services.GetService(typeof(IResilientPaymentExecutor)).ShouldNotBeNull();
    }
}
