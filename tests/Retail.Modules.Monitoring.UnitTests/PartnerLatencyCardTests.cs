using Retail.Modules.Monitoring.Application.Abstractions;
using Retail.Modules.Monitoring.Application.Scenarios;
using Retail.Modules.Monitoring.Application.Timing;

namespace Retail.Modules.Monitoring.UnitTests;

/// <summary>
/// I2 judges the stock webhook's acknowledgements and U2 the feed uploads' answers, each from its own endpoint: both used
/// to take the p99/p95 of every partner API answer, so a partner polling its job status thousands of times hid slow
/// webhook acknowledgements, and slow (inline) feed uploads failed I2 while every webhook was answered fast.
/// </summary>
public sealed class PartnerLatencyCardTests
{
    private static Dictionary<string, ScenarioCardDto> Cards(Action<RequestTimingRecorder> record)
    {
        var (recorder, time) = TestTelemetry.Recorder();
        record(recorder);
        time.Advance(TimeSpan.FromMinutes(2)); // still inside the 15-minute window
        var outbox = new List<ModuleOutboxDto> { new("partners", true, 0, 0, null) };
        return ScenarioCards.Evaluate(new ScenarioInputs(recorder.Snapshot(), null, outbox, new HashSet<string> { "partners" }, 0, 0))
            .ToDictionary(c => c.Id);
    }

    private static void Answer(RequestTimingRecorder recorder, string method, string path, int status, int times, double ms)
    {
        for (var i = 0; i < times; i++)
        {
            recorder.Record(path, status, TimeSpan.FromMilliseconds(ms), method, authenticated: true);
        }
    }

    [Fact]
    public void Slow_webhook_acknowledgements_fail_I2_however_many_fast_status_polls_there_are()
    {
        var cards = Cards(r =>
        {
            Answer(r, "GET", "/api/partners/jobs/5b1f0c33-0f7e-4f7c-9d4e-0a4f4f0e2b11", 200, 1000, 4);
            Answer(r, "POST", "/api/partners/webhooks/stock", 202, 5, 300);
        });

        cards["I2"].Status.ShouldBe(ScenarioStatus.NotFulfilled);
        cards["I2"].Evidence.ShouldStartWith("5 webhook acknowledgements, p99 ");
    }

    [Fact]
    public void Fast_webhook_acknowledgements_fulfil_I2_while_feed_uploads_and_refusals_are_slow()
    {
        var cards = Cards(r =>
        {
            Answer(r, "POST", "/api/partners/webhooks/stock", 202, 20, 8);
            Answer(r, "POST", "/api/partners/feeds", 200, 10, 600);
            Answer(r, "POST", "/api/partners/webhooks/stock", 422, 3, 400); // refused, not acknowledged
        });

        cards["I2"].Status.ShouldBe(ScenarioStatus.Fulfilled);
        cards["I2"].Evidence.ShouldStartWith("20 webhook acknowledgements, p99 ");
        cards["I2"].Evidence.ShouldContain("threshold 100 ms");
    }

    [Fact]
    public void Slow_feed_uploads_fail_U2_however_many_fast_status_polls_and_webhooks_there_are()
    {
        var cards = Cards(r =>
        {
            Answer(r, "GET", "/api/partners/jobs", 200, 500, 3);
            Answer(r, "POST", "/api/partners/webhooks/stock", 202, 500, 5);
            Answer(r, "POST", "/api/partners/feeds", 202, 4, 450);
        });

        cards["U2"].Status.ShouldBe(ScenarioStatus.NotFulfilled);
        cards["U2"].Evidence.ShouldStartWith("4 feed uploads answered, p95 ");
        cards["I2"].Status.ShouldBe(ScenarioStatus.Fulfilled);
    }

    [Fact]
    public void Without_webhooks_or_uploads_in_the_window_there_is_no_data_even_with_other_partner_calls()
    {
        var cards = Cards(r => Answer(r, "GET", "/api/partners/jobs", 200, 10, 3));

        cards["I2"].Status.ShouldBe(ScenarioStatus.NoData);
        cards["I2"].Evidence.ShouldBe("no webhook acknowledged in the last 15 min");
        cards["U2"].Status.ShouldBe(ScenarioStatus.NoData);
        cards["U2"].Evidence.ShouldBe("no feed upload answered in the last 15 min");
    }
}
