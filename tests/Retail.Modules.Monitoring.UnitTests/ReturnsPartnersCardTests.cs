using Retail.Modules.Monitoring.Application.Abstractions;
using Retail.Modules.Monitoring.Application.Dashboard.GetDashboard;
using Retail.Modules.Monitoring.Application.Scenarios;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Monitoring.UnitTests;

/// <summary>R1, R2, I2 and U2 judged from the Returns and Partners figures (S1 from the partner API answers: PartnerAuthenticationCardTests).</summary>
public sealed class ReturnsPartnersCardTests
{
    private static readonly string[] Built = ["returns", "partners"];

    private static ReturnsOverviewDto Overview(int submitted, int completed, decimal refunded, int refundDispositions) => new(
        submitted + completed,
        new Dictionary<string, int> { ["SUBMITTED"] = submitted, ["COMPLETED"] = completed },
        new Dictionary<string, int> { ["REFUND"] = refundDispositions },
        [new ReturnQueueDto("support", submitted, 0), new ReturnQueueDto("warehouse", 0, 0), new ReturnQueueDto("finance", 0, 0)],
        refunded,
        0m);

    private static ReturnsFiguresDto Returns(long opened, long completed, decimal refunded, ReturnsOverviewDto? overview) =>
        new(opened, opened, completed, 0, 0, completed, completed, refunded, refunded, overview);

    private static PartnersFiguresDto Partners() =>
        new(4, 1, 0, 2000, 5, 812.5, 9, 9, 1, 2, PartnersFiguresDto.RunningNotAvailable);

    private static Dictionary<string, ScenarioCardDto> Evaluate(ReturnsFiguresDto? returns, PartnersFiguresDto? partners = null)
    {
        var (recorder, _) = TestTelemetry.Recorder();
        var outbox = Built.Select(m => new ModuleOutboxDto(m, true, 0, 0, null)).ToList();
        return ScenarioCards.Evaluate(new ScenarioInputs(recorder.Snapshot(), null, outbox, Built.ToHashSet(), 3, 1, null, returns, partners))
            .ToDictionary(c => c.Id);
    }

    [Fact]
    public void R1_is_fulfilled_when_every_return_in_the_database_was_counted_and_shows_the_states()
    {
        var card = Evaluate(Returns(3, 1, 20m, Overview(2, 1, 20m, 1)))["R1"];

        card.Status.ShouldBe(ScenarioStatus.Fulfilled);
        card.Evidence.ShouldBe("3 returns in the database, 3 opened through events (returns outbox backlog 0); by state: SUBMITTED 2, COMPLETED 1");
    }

    [Fact]
    public void R1_is_not_fulfilled_when_a_return_was_not_counted_and_has_no_data_without_returns()
    {
        Evaluate(Returns(2, 1, 20m, Overview(2, 1, 20m, 1)))["R1"].Status.ShouldBe(ScenarioStatus.NotFulfilled);
        Evaluate(Returns(0, 0, 0m, Overview(0, 0, 0m, 0)))["R1"].Status.ShouldBe(ScenarioStatus.NoData);
        Evaluate(Returns(1, 0, 0m, null))["R1"].Evidence.ShouldBe("returns overview unavailable");
    }

    [Fact]
    public void R2_is_fulfilled_when_completed_returns_and_refunds_equal_the_database()
    {
        var card = Evaluate(Returns(3, 1, 20m, Overview(2, 1, 20m, 1)))["R2"];

        card.Status.ShouldBe(ScenarioStatus.Fulfilled);
        card.Evidence.ShouldBe("1 completed in the database, 1 counted through events; dispositions: REFUND 1; 1 refunds issued (20.00), database 20.00");
    }

    [Fact]
    public void R2_is_not_fulfilled_when_counts_or_amounts_differ_or_a_completed_return_has_no_disposition()
    {
        Evaluate(Returns(3, 0, 0m, Overview(2, 1, 0m, 1)))["R2"].Status.ShouldBe(ScenarioStatus.NotFulfilled);
        Evaluate(Returns(3, 1, 15m, Overview(2, 1, 20m, 1)))["R2"].Status.ShouldBe(ScenarioStatus.NotFulfilled);
        Evaluate(Returns(3, 1, 20m, Overview(2, 1, 20m, 0)))["R2"].Status.ShouldBe(ScenarioStatus.NotFulfilled);
        Evaluate(Returns(2, 0, 0m, Overview(2, 0, 0m, 0)))["R2"].Status.ShouldBe(ScenarioStatus.NoData);
    }

    [Fact]
    public void I2_and_U2_carry_the_partner_figures_and_S1_has_no_data_without_partner_requests()
    {
        var cards = Evaluate(null, Partners());

        cards["I2"].Status.ShouldBe(ScenarioStatus.NoData, "no partner API requests timed");
        cards["I2"].Evidence.ShouldEndWith("9 webhook deliveries processed (1 failed), 2 callbacks failed after every retry");
        cards["U2"].Evidence.ShouldEndWith("feed jobs 4 completed, 1 failed, 2000 rows ingested (812.5 rows/s)");
        cards["S1"].Status.ShouldBe(ScenarioStatus.NoData);
        cards["S1"].Evidence.ShouldBe("no partner API requests in the last 15 min");
    }
}
