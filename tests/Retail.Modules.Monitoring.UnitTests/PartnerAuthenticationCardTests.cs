using Retail.Modules.Monitoring.Application.Abstractions;
using Retail.Modules.Monitoring.Application.Scenarios;
using Retail.Modules.Monitoring.Application.Timing;

namespace Retail.Modules.Monitoring.UnitTests;

/// <summary>The S1 card judged from the partner API answers of the last 15 minutes.</summary>
public sealed class PartnerAuthenticationCardTests
{
    private static ScenarioCardDto S1(Action<RequestTimingRecorder> record, params string[] modules)
    {
        var (recorder, time) = TestTelemetry.Recorder();
        record(recorder);
        time.Advance(TimeSpan.FromMinutes(2)); // still inside the 15-minute window
        var built = modules.Length == 0 ? ["partners"] : modules;
        var outbox = built.Select(m => new ModuleOutboxDto(m, true, 0, 0, null)).ToList();
        return ScenarioCards.Evaluate(new ScenarioInputs(recorder.Snapshot(), null, outbox, built.ToHashSet(), 0, 0)).Single(c => c.Id == "S1");
    }

    private static void Answer(RequestTimingRecorder recorder, string path, int status, int times, double ms, bool authenticated = false)
    {
        for (var i = 0; i < times; i++)
        {
            recorder.Record(path, status, TimeSpan.FromMilliseconds(ms), "GET", authenticated);
        }
    }

    [Fact]
    public void Without_partner_API_requests_there_is_no_data_and_without_the_module_it_is_not_built()
    {
        var card = S1(r => Answer(r, "/catalog", 200, 3, 2));
        card.Status.ShouldBe(ScenarioStatus.NoData);
        card.Evidence.ShouldBe("no partner API requests in the last 15 min");

        S1(r => Answer(r, "/api/partners/jobs", 401, 1, 2), "catalog").Status.ShouldBe(ScenarioStatus.NotBuilt);
    }

    [Fact]
    public void Is_fulfilled_when_every_call_without_a_valid_key_got_401_quickly_and_shows_the_split()
    {
        var card = S1(r =>
        {
            Answer(r, "/api/partners/jobs", 401, 4, 3);
            Answer(r, "/api/partners/webhooks/stock", 401, 1, 5, authenticated: true);
            Answer(r, "/api/partners/jobs", 200, 10, 20, authenticated: true);
        });

        card.Status.ShouldBe(ScenarioStatus.Fulfilled);
        card.Threshold.ShouldBe("every one answered 401, none served; key refused p99 < 50 ms");
        card.Evidence.ShouldBe(
            "15 partner API requests in the last 15 min: 4 answered 401 without a valid key (missing, unknown, wrong or revoked key; p99 2.97 ms), "
            + "11 with a valid key (p99 19.91 ms; 1 of them refused 401 for the webhook signature or timestamp); "
            + "0 served without a valid key; threshold: none served, key refused p99 < 50 ms");
    }

    [Fact]
    public void Is_fulfilled_with_only_valid_keys_and_reports_other_answers_without_a_key()
    {
        var card = S1(r =>
        {
            Answer(r, "/api/partners/jobs", 200, 2, 30, authenticated: true);
            Answer(r, "/api/partners/nowhere", 404, 1, 1);
            Answer(r, "/api/partners/jobs", 403, 1, 4, authenticated: true);
        });

        card.Status.ShouldBe(ScenarioStatus.Fulfilled);
        card.Evidence.ShouldStartWith("4 partner API requests in the last 15 min: 0 answered 401 without a valid key, 3 with a valid key");
        card.Evidence.ShouldContain(", 1 without a valid key answered otherwise (not found, rate-limited, error), 1 answered 403; 0 served without a valid key");
    }

    [Fact]
    public void Is_not_fulfilled_when_a_call_without_a_valid_key_was_served()
    {
        var card = S1(r =>
        {
            Answer(r, "/api/partners/jobs", 401, 5, 3);
            Answer(r, "/api/partners/jobs", 200, 1, 3);
        });

        card.Status.ShouldBe(ScenarioStatus.NotFulfilled);
        card.Evidence.ShouldContain("; 1 served without a valid key;");
    }

    [Fact]
    public void Is_not_fulfilled_when_refusing_a_key_takes_50_ms_or_more_at_p99()
    {
        var card = S1(r =>
        {
            Answer(r, "/api/partners/jobs", 401, 99, 3);
            Answer(r, "/api/partners/jobs", 401, 2, 120);
        });

        card.Status.ShouldBe(ScenarioStatus.NotFulfilled);
        card.Evidence.ShouldContain("101 answered 401 without a valid key (missing, unknown, wrong or revoked key; p99 120 ms)");
    }

    [Fact]
    public void Slow_valid_key_requests_do_not_fail_it_because_their_time_includes_the_work()
    {
        var card = S1(r =>
        {
            Answer(r, "/api/partners/jobs", 401, 3, 2);
            Answer(r, "/api/partners/feeds", 200, 3, 900, authenticated: true);
        });

        card.Status.ShouldBe(ScenarioStatus.Fulfilled);
        card.Evidence.ShouldContain("3 with a valid key (p99 ");
    }
}
