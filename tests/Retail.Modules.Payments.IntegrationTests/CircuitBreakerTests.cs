using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.IntegrationTests;

/// <summary>SPEC A2 and issue 3's breaker tests: transitions, fast fail, half-open after 30 s, close on success, MTTR, retry limits.</summary>
public sealed class CircuitBreakerTests(PaymentsDatabase database) : IClassFixture<PaymentsDatabase>
{
    [Fact]
    public async Task Three_transient_failures_open_the_breaker_and_the_charge_is_left_pending()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        host.SetGateway(s => s with { Outage = true });
        var charge = PaymentsTestHost.CardCharge();

        var result = (await host.ChargeAsync(charge)).Value;

        result.Outcome.ShouldBe(PaymentOutcome.Unavailable);
        result.Message.ShouldBe("System experiencing high traffic. Please try again shortly.");
        // Attempts 1-3 fail and open the breaker; the 3rd retry meets the open breaker and is not retried.
        host.Gateway.CallsFor(charge.IdempotencyKey).ShouldBe(3);
        host.Circuit.Snapshot().State.ShouldBe(CircuitStatus.Open);
        host.Circuit.Snapshot().OpenedAt.ShouldBe(host.Time.GetUtcNow());
        var payment = await host.QueryAsync(db => db.Payments.SingleAsync(p => p.IdempotencyKey == charge.IdempotencyKey));
        payment.Status.ShouldBe(PaymentStatus.Pending);
        payment.Attempts.ShouldBe(1);
        payment.LastError.ShouldNotBeNull().ShouldContain("circuit open");
    }

    [Fact]
    public async Task While_open_a_charge_fails_fast_without_calling_the_provider()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        host.SetGateway(s => s with { Outage = true });
        await host.ChargeAsync(PaymentsTestHost.CardCharge());
        host.Circuit.Snapshot().State.ShouldBe(CircuitStatus.Open);
        await host.ChargeAsync(PaymentsTestHost.CardCharge()); // warm the code path so the measurement is of the fast fail
        var callsBefore = host.Gateway.Totals().Calls;
        var charge = PaymentsTestHost.CardCharge();

        var stopwatch = Stopwatch.StartNew();
        var result = (await host.ChargeAsync(charge)).Value;
        stopwatch.Stop();

        result.Outcome.ShouldBe(PaymentOutcome.Unavailable);
        stopwatch.ElapsedMilliseconds.ShouldBeLessThan(100, "SPEC A2: while the breaker is open a payment fails fast (< 100 ms), row writes included");
        host.Gateway.CallsFor(charge.IdempotencyKey).ShouldBe(0);
        host.Gateway.Totals().Calls.ShouldBe(callsBefore);
        (await host.QueryAsync(db => db.Payments.SingleAsync(p => p.IdempotencyKey == charge.IdempotencyKey))).Status.ShouldBe(PaymentStatus.Pending);
    }

    [Fact]
    public async Task After_30_seconds_one_probe_goes_through_and_success_closes_the_breaker_recording_MTTR()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        host.SetGateway(s => s with { Outage = true });
        await host.ChargeAsync(PaymentsTestHost.CardCharge());
        var openedAt = host.Circuit.Snapshot().OpenedAt;

        host.Time.Advance(TimeSpan.FromSeconds(29));
        var tooEarly = PaymentsTestHost.CardCharge();
        (await host.ChargeAsync(tooEarly)).Value.Outcome.ShouldBe(PaymentOutcome.Unavailable);
        host.Gateway.CallsFor(tooEarly.IdempotencyKey).ShouldBe(0, "still open at 29 s");

        // Half-open at 30 s: exactly one probe reaches the provider; it fails, so the breaker opens again.
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var failedProbe = PaymentsTestHost.CardCharge();
        (await host.ChargeAsync(failedProbe)).Value.Outcome.ShouldBe(PaymentOutcome.Unavailable);
        host.Gateway.CallsFor(failedProbe.IdempotencyKey).ShouldBe(1);
        host.Circuit.Snapshot().State.ShouldBe(CircuitStatus.Open);
        host.Circuit.Snapshot().Openings.ShouldBe(2);
        host.Circuit.Snapshot().OpenedAt.ShouldBe(openedAt, "a failed probe continues the same outage");

        host.SetGateway(s => s with { Outage = false });
        host.Time.Advance(TimeSpan.FromSeconds(30));
        var probe = PaymentsTestHost.CardCharge();
        var result = (await host.ChargeAsync(probe)).Value;

        result.Outcome.ShouldBe(PaymentOutcome.Succeeded);
        host.Gateway.CallsFor(probe.IdempotencyKey).ShouldBe(1);
        var circuit = host.Circuit.Snapshot();
        circuit.State.ShouldBe(CircuitStatus.Closed);
        circuit.LastMttr.ShouldBe(TimeSpan.FromSeconds(60), "MTTR runs from the first opening to the first success");
        circuit.LastRecoveredAt.ShouldBe(host.Time.GetUtcNow());
        circuit.OpenedAt.ShouldBeNull();
        host.Services.GetRequiredService<IResilientPaymentExecutor>().IsAcceptingCalls.ShouldBeTrue();
    }

    [Fact]
    public async Task Retries_never_exceed_three_so_a_charge_makes_at_most_four_calls()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        // A success in the sampling window keeps the failure ratio below 1, so the breaker stays closed and the
        // retry limit alone ends the call.
        (await host.ChargeAsync(PaymentsTestHost.CardCharge())).Value.Outcome.ShouldBe(PaymentOutcome.Succeeded);
        host.SetGateway(s => s with { FailureProbability = 1 });
        var charge = PaymentsTestHost.CardCharge();

        var result = (await host.ChargeAsync(charge)).Value;

        result.Outcome.ShouldBe(PaymentOutcome.Unavailable);
        host.Gateway.CallsFor(charge.IdempotencyKey).ShouldBe(4);
        host.Circuit.Snapshot().State.ShouldBe(CircuitStatus.Closed);
        (await host.QueryAsync(db => db.Payments.SingleAsync(p => p.IdempotencyKey == charge.IdempotencyKey))).LastError.ShouldNotBeNull().ShouldContain("retries exhausted");
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_recovers_within_the_same_charge()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        host.SetGateway(s => s with { FailureProbability = 0.5 });
        ((PaymentsTestHost.ScriptedRandom)host.Services.GetRequiredService<Infrastructure.Gateway.IRandomSource>()).Enqueue(0.1, 0.2, 0.9);
        var charge = PaymentsTestHost.CardCharge();

        var result = (await host.ChargeAsync(charge)).Value;

        result.Outcome.ShouldBe(PaymentOutcome.Succeeded);
        host.Gateway.CallsFor(charge.IdempotencyKey).ShouldBe(3);
        host.Gateway.MoneyMovementsFor(charge.IdempotencyKey).ShouldBe(1);
        (await host.QueryAsync(db => db.Payments.SingleAsync(p => p.IdempotencyKey == charge.IdempotencyKey))).Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task A_decline_is_final_and_never_retried()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var charge = PaymentsTestHost.CardCharge(card: PaymentsTestHost.DecliningCard);

        var result = (await host.ChargeAsync(charge)).Value;

        result.Outcome.ShouldBe(PaymentOutcome.Declined);
        result.Message.ShouldBe("Payment could not be processed. Please try again or use a different payment method.");
        host.Gateway.CallsFor(charge.IdempotencyKey).ShouldBe(1);
        host.Circuit.Snapshot().State.ShouldBe(CircuitStatus.Closed);
        var payment = await host.QueryAsync(db => db.Payments.SingleAsync(p => p.IdempotencyKey == charge.IdempotencyKey));
        payment.Status.ShouldBe(PaymentStatus.Declined);
        (await host.OutboxCountAsync("payments.payment-failed.v1", payment.Id)).ShouldBe(1);
        (await host.OutboxCountAsync("payments.payment-succeeded.v1", payment.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Declines_do_not_count_against_the_provider()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);

        for (var i = 0; i < 5; i++)
        {
            (await host.ChargeAsync(PaymentsTestHost.CardCharge(card: PaymentsTestHost.DecliningCard))).Value.Outcome.ShouldBe(PaymentOutcome.Declined);
        }

        host.Circuit.Snapshot().State.ShouldBe(CircuitStatus.Closed);
        (await host.ChargeAsync(PaymentsTestHost.CardCharge())).Value.Outcome.ShouldBe(PaymentOutcome.Succeeded);
    }

    [Fact]
    public async Task A_provider_that_hangs_still_gives_the_customer_an_answer_within_5_seconds()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        host.SetGateway(s => s with { TimeoutProbability = 1 });
        var charge = PaymentsTestHost.CardCharge();
        var started = host.Time.GetUtcNow();

        var pending = host.ChargeAsync(charge);
        // Attempts time out after 2 s each (t = 2, 4); the whole call is cut at 5 s, during the third attempt.
        await WaitUntilAsync(() => host.Gateway.Totals().Timeouts == 1, pending);
        host.Time.Advance(TimeSpan.FromSeconds(2));
        await WaitUntilAsync(() => host.Gateway.Totals().Timeouts == 2, pending);
        host.Time.Advance(TimeSpan.FromSeconds(2));
        await WaitUntilAsync(() => host.Gateway.Totals().Timeouts == 3, pending);
        pending.IsCompleted.ShouldBeFalse("4 s is still inside the budget");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var result = (await pending).Value;

        result.Outcome.ShouldBe(PaymentOutcome.Unavailable);
        (host.Time.GetUtcNow() - started).ShouldBe(TimeSpan.FromSeconds(5));
        host.Gateway.CallsFor(charge.IdempotencyKey).ShouldBe(3);
        host.Gateway.MoneyMovementsFor(charge.IdempotencyKey).ShouldBe(0);
        (await host.QueryAsync(db => db.Payments.SingleAsync(p => p.IdempotencyKey == charge.IdempotencyKey))).LastError.ShouldNotBeNull().ShouldContain("timed out");
    }

    [Fact]
    public async Task At_least_95_percent_of_transient_failures_recover_through_retry()
    {
        await using var host = await PaymentsTestHost.StartAsync(database, services =>
            services.AddSingleton<Infrastructure.Gateway.IRandomSource>(new SeededRandom(20261101)));
        host.SetGateway(s => s with { FailureProbability = 0.2 });
        var charges = Enumerable.Range(0, 200).Select(_ => PaymentsTestHost.CardCharge()).ToList();

        var outcomes = new Dictionary<string, PaymentOutcome>();
        foreach (var charge in charges)
        {
            outcomes[charge.IdempotencyKey] = (await host.ChargeAsync(charge)).Value.Outcome;
        }

        // A charge met a transient failure when it needed more than one call or never got an answer.
        var hit = charges.Where(c => host.Gateway.CallsFor(c.IdempotencyKey) > 1 || outcomes[c.IdempotencyKey] != PaymentOutcome.Succeeded).ToList();
        var recovered = hit.Count(c => outcomes[c.IdempotencyKey] == PaymentOutcome.Succeeded);
        hit.Count.ShouldBeGreaterThan(20, "the run must actually contain transient failures");
        ((double)recovered / hit.Count).ShouldBeGreaterThanOrEqualTo(0.95, $"{recovered} of {hit.Count} charges hit by transient failures recovered");
        charges.ShouldAllBe(c => host.Gateway.MoneyMovementsFor(c.IdempotencyKey) <= 1);
    }

    /// <summary>
    /// Lets the in-process continuations reach a point the test can observe (no sleeping on real time to make something
    /// happen: only FakeTimeProvider moves time). Fails with a message instead of hanging if it never gets there.
    /// </summary>
    private static async Task WaitUntilAsync(Func<bool> condition, Task pending)
    {
        var guard = Stopwatch.StartNew();
        while (!condition())
        {
            if (pending.IsCompleted)
            {
                await pending;
                throw new ShouldAssertException("The call finished before the expected point was reached.");
            }

            if (guard.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new ShouldAssertException("The expected point was not reached within 10 s of real time.");
            }

            await Task.Yield();
        }
    }

    private sealed class SeededRandom(int seed) : Infrastructure.Gateway.IRandomSource
    {
        private readonly Random _random = new(seed);
        private readonly Lock _gate = new();

        public double NextDouble()
        {
            lock (_gate)
            {
                return _random.NextDouble();
            }
        }
    }
}
