using Retail.Modules.Monitoring.Application.Abstractions;
using Retail.Modules.Monitoring.Application.Scenarios;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Monitoring.UnitTests;

public sealed class ScenarioCardTests
{
    private static readonly string[] AllIds = ["A1", "A2", "A3", "P1", "P2", "P3", "S1", "I2", "U2", "R1", "R2", "O1", "O2"];

    private static PaymentsOverviewDto Payments(TimeSpan? mttr = null) => new("Closed", null, mttr, null, mttr is null ? 0 : 1, 2, 10, 1, 0, 0, 0);

    private static IReadOnlyList<ScenarioCardDto> Evaluate(Action<Application.Timing.RequestTimingRecorder>? record = null, PaymentsOverviewDto? payments = null, params string[] modules)
    {
        var (recorder, _) = TestTelemetry.Recorder();
        record?.Invoke(recorder);
        var outbox = modules.Select(m => new ModuleOutboxDto(m, true, 0, 0, null)).ToList();
        return ScenarioCards.Evaluate(new ScenarioInputs(recorder.Snapshot(), payments, outbox, modules.ToHashSet(), 3, 42));
    }

    [Fact]
    public void There_is_one_card_per_SPEC_scenario()
    {
        Evaluate(payments: Payments()).Select(c => c.Id).ShouldBe(AllIds);
    }

    [Fact]
    public void Scenarios_of_modules_not_built_say_so()
    {
        var cards = Evaluate(payments: Payments(), modules: ["catalog", "payments"]).ToDictionary(c => c.Id);

        foreach (var id in new[] { "P1", "P2", "P3", "S1", "I2", "U2", "R1", "R2" })
        {
            cards[id].Status.ShouldBe(ScenarioStatus.NotBuilt);
            cards[id].Evidence.ShouldBe("not measured yet (module not built)");
        }
    }

    [Fact]
    public void A1_is_fulfilled_when_429s_are_answered_fast_and_has_no_data_without_any()
    {
        Evaluate(payments: Payments()).Single(c => c.Id == "A1").Status.ShouldBe(ScenarioStatus.NoData);

        var card = Evaluate(r => r.Record("/api/checkout", 429, TimeSpan.FromMilliseconds(3)), Payments()).Single(c => c.Id == "A1");

        card.Status.ShouldBe(ScenarioStatus.Fulfilled);
        card.Evidence.ShouldContain("429s answered p99 2.97 ms");
        card.Evidence.ShouldContain("threshold 100 ms");
    }

    [Fact]
    public void A1_is_not_fulfilled_when_429s_are_slow()
    {
        Evaluate(r => r.Record("/api/checkout", 429, TimeSpan.FromMilliseconds(250)), Payments()).Single(c => c.Id == "A1").Status.ShouldBe(ScenarioStatus.NotFulfilled);
    }

    [Fact]
    public void A3_judges_the_last_MTTR_against_five_minutes()
    {
        Evaluate(payments: Payments()).Single(c => c.Id == "A3").Status.ShouldBe(ScenarioStatus.NoData);
        Evaluate(payments: Payments(TimeSpan.FromSeconds(42))).Single(c => c.Id == "A3").Status.ShouldBe(ScenarioStatus.Fulfilled);
        Evaluate(payments: Payments(TimeSpan.FromMinutes(6))).Single(c => c.Id == "A3").Status.ShouldBe(ScenarioStatus.NotFulfilled);
    }

    [Fact]
    public void P3_measures_checkout_p95_once_ordering_exists()
    {
        var cards = Evaluate(r => r.Record("/api/checkout", 200, TimeSpan.FromMilliseconds(120)), Payments(), "ordering", "payments");

        var p3 = cards.Single(c => c.Id == "P3");
        p3.Status.ShouldBe(ScenarioStatus.Fulfilled);
        p3.Evidence.ShouldContain("threshold 500 ms");
    }
}
