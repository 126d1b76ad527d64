using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Infrastructure.Gateway;

namespace Retail.Modules.Payments.UnitTests;

public sealed class SimulatorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly FixedRandom _random = new();

    private PaymentGatewaySimulator Simulator(SimulatorSettings? settings = null) =>
        new(Options.Create(settings ?? new SimulatorSettings { Latency = TimeSpan.Zero }), _time, _random, NullLogger<PaymentGatewaySimulator>.Instance);

    private static GatewayCharge Card(string number, string key = "k1", decimal amount = 10m) => new(key, "card", amount, "EUR", number);

    [Theory]
    [InlineData("4000000000000002", true)]
    [InlineData("4000 0000 0000 0002", true)]
    [InlineData("4242424242424242", false)]
    public void Cards_ending_in_a_decline_suffix_are_always_declined(string number, bool declined)
    {
        var settings = new SimulatorSettingsDto(0, 0, 0, false, ["0002"]);

        PaymentGatewaySimulator.Declines(settings, Card(number)).ShouldBe(declined);
    }

    [Fact]
    public void Decline_suffixes_apply_to_cards_only() =>
        PaymentGatewaySimulator.Declines(new SimulatorSettingsDto(0, 0, 0, false, ["0002"]), new GatewayCharge("k", "paypal", 1m, "EUR", "me0002")).ShouldBeFalse();

    [Fact]
    public void The_default_settings_decline_cards_ending_0002() =>
        Simulator().Current.DeclineCardSuffixes.ShouldBe(["0002"]);

    [Fact]
    public async Task A_repeated_key_replays_the_first_answer_and_charges_once()
    {
        var simulator = Simulator();

        var first = await simulator.ChargeAsync(Card("4242424242424242"), default);
        var second = await simulator.ChargeAsync(Card("4242424242424242"), default);

        first.Approved.ShouldBeTrue();
        second.Reference.ShouldBe(first.Reference);
        simulator.CallsFor("k1").ShouldBe(2);
        simulator.MoneyMovementsFor("k1").ShouldBe(1);
        simulator.Totals().Charges.ShouldBe(1);
    }

    [Fact]
    public async Task A_decline_is_remembered_for_its_key()
    {
        var simulator = Simulator();

        (await simulator.ChargeAsync(Card("4000000000000002"), default)).DeclineReason.ShouldBe("card_declined");
        simulator.Apply(simulator.Current with { DeclineCardSuffixes = [] });
        (await simulator.ChargeAsync(Card("4000000000000002"), default)).Approved.ShouldBeFalse();
        simulator.MoneyMovementsFor("k1").ShouldBe(0);
    }

    [Fact]
    public async Task An_outage_fails_every_call_transiently_until_it_is_switched_off()
    {
        var simulator = Simulator();
        simulator.Apply(simulator.Current with { Outage = true });

        await Should.ThrowAsync<TransientPaymentException>(() => simulator.ChargeAsync(Card("4242424242424242"), default));
        simulator.MoneyMovementsFor("k1").ShouldBe(0);

        simulator.Apply(simulator.Current with { Outage = false });
        (await simulator.ChargeAsync(Card("4242424242424242"), default)).Approved.ShouldBeTrue();
        simulator.Totals().TransientFailures.ShouldBe(1);
    }

    [Fact]
    public async Task Failure_probability_is_decided_by_the_injected_random_source()
    {
        var simulator = Simulator(new SimulatorSettings { Latency = TimeSpan.Zero, FailureProbability = 0.3 });

        _random.Next = 0.29;
        await Should.ThrowAsync<TransientPaymentException>(() => simulator.ChargeAsync(Card("4242424242424242"), default));
        _random.Next = 0.3;
        (await simulator.ChargeAsync(Card("4242424242424242"), default)).Approved.ShouldBeTrue();
    }

    [Fact]
    public async Task A_simulated_hang_lasts_until_the_caller_gives_up()
    {
        var simulator = Simulator(new SimulatorSettings { Latency = TimeSpan.Zero, TimeoutProbability = 1 });
        using var giveUp = new CancellationTokenSource();

        var call = simulator.ChargeAsync(Card("4242424242424242"), giveUp.Token);
        _time.Advance(TimeSpan.FromMinutes(1));
        call.IsCompleted.ShouldBeFalse();
        await giveUp.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        simulator.MoneyMovementsFor("k1").ShouldBe(0);
    }

    [Fact]
    public async Task Latency_waits_on_the_time_provider()
    {
        var simulator = Simulator(new SimulatorSettings { Latency = TimeSpan.FromMilliseconds(300) });

        var call = simulator.ChargeAsync(Card("4242424242424242"), default);
        _time.Advance(TimeSpan.FromMilliseconds(299));
        call.IsCompleted.ShouldBeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));

        (await call).Approved.ShouldBeTrue();
    }

    [Fact]
    public async Task A_refund_moves_money_once_and_never_more_than_was_charged()
    {
        var simulator = Simulator();
        var charge = await simulator.ChargeAsync(Card("4242424242424242", amount: 10m), default);

        (await simulator.RefundAsync(new GatewayRefund("r1", charge.Reference!, 6m, "EUR"), default)).Approved.ShouldBeTrue();
        (await simulator.RefundAsync(new GatewayRefund("r1", charge.Reference!, 6m, "EUR"), default)).Approved.ShouldBeTrue();
        (await simulator.RefundAsync(new GatewayRefund("r2", charge.Reference!, 6m, "EUR"), default)).Approved.ShouldBeFalse();
        simulator.MoneyMovementsFor("r1").ShouldBe(1);
        simulator.Totals().Refunds.ShouldBe(1);
    }

    [Fact]
    public async Task With_a_state_file_a_restarted_simulator_remembers_charges_and_refunds()
    {
        var folder = Path.Combine(Path.GetTempPath(), "retail-simulator-tests", Guid.NewGuid().ToString("N"));
        var settings = new SimulatorSettings { Latency = TimeSpan.Zero, StateFile = Path.Combine(folder, "state.jsonl") };
        try
        {
            var before = Simulator(settings);
            var charge = await before.ChargeAsync(Card("4242424242424242", key: "c1", amount: 10m), default);
            (await before.RefundAsync(new GatewayRefund("r1", charge.Reference!, 4m, "EUR"), default)).Approved.ShouldBeTrue();
            File.AppendAllText(settings.StateFile, "{\"kind\":\"charge\",\"ke"); // a line cut short by a crash

            var after = Simulator(settings);

            (await after.ChargeAsync(Card("4242424242424242", key: "c1", amount: 10m), default)).Reference.ShouldBe(charge.Reference);
            (await after.RefundAsync(new GatewayRefund("r1", charge.Reference!, 4m, "EUR"), default)).Approved.ShouldBeTrue();
            (await after.RefundAsync(new GatewayRefund("r2", charge.Reference!, 6m, "EUR"), default)).Approved.ShouldBeTrue();
            (await after.RefundAsync(new GatewayRefund("r3", charge.Reference!, 0.01m, "EUR"), default)).Approved.ShouldBeFalse();
            after.MoneyMovementsFor("c1").ShouldBe(0); // replayed, not charged again
            after.Totals().Refunds.ShouldBe(1);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_state_file_a_new_simulator_knows_no_charge()
    {
        var charge = await Simulator().ChargeAsync(Card("4242424242424242", key: "c1"), default);

        (await Simulator().RefundAsync(new GatewayRefund("r1", charge.Reference!, 1m, "EUR"), default)).DeclineReason.ShouldBe("refund_not_possible");
    }

    private sealed class FixedRandom : IRandomSource
    {
        public double Next { get; set; } = 0.999;

        public double NextDouble() => Next;
    }
}
