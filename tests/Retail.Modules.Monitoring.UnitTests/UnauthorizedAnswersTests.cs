using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using Retail.Modules.Monitoring.Application.Timing;

namespace Retail.Modules.Monitoring.UnitTests;

/// <summary>401 and 403 answers counted per endpoint group and window, split by whether the caller was authenticated.</summary>
public sealed class UnauthorizedAnswersTests
{
    private static void Answer(RequestTimingRecorder recorder, string path, int status, int times, double ms = 4, bool authenticated = false, string method = "GET")
    {
        for (var i = 0; i < times; i++)
        {
            recorder.Record(path, status, TimeSpan.FromMilliseconds(ms), method, authenticated);
        }
    }

    private static long[] PerWindow(RequestTimingRecorder recorder, string group, Func<LatencyWindowDto, long> read) =>
        [.. recorder.Snapshot().Group(group).Windows.Select(read)];

    [Fact]
    public void Known_answers_give_exact_401_and_403_counts_per_group_and_window_as_time_passes()
    {
        var (recorder, time) = TestTelemetry.Recorder();
        Answer(recorder, "/api/partners/jobs", 401, 3);
        Answer(recorder, "/api/partners/feeds", 200, 2, authenticated: true, method: "POST");
        Answer(recorder, "/api/partners/jobs", 403, 1, authenticated: true);
        Answer(recorder, "/api/monitoring/dashboard", 401, 1);
        Answer(recorder, "/admin/dashboard", 403, 2, authenticated: true);

        PerWindow(recorder, EndpointGroups.PartnerApi, w => w.Count).ShouldBe([6, 6, 6]);
        PerWindow(recorder, EndpointGroups.PartnerApi, w => w.Unauthorized).ShouldBe([3, 3, 3]);
        PerWindow(recorder, EndpointGroups.PartnerApi, w => w.Forbidden).ShouldBe([1, 1, 1]);
        PerWindow(recorder, EndpointGroups.Admin, w => w.Unauthorized).ShouldBe([1, 1, 1]);
        PerWindow(recorder, EndpointGroups.Admin, w => w.Forbidden).ShouldBe([2, 2, 2]);
        PerWindow(recorder, EndpointGroups.Storefront, w => w.Unauthorized).ShouldBe([0, 0, 0]);

        time.Advance(TimeSpan.FromSeconds(75)); // the first answers leave the 1-minute window
        Answer(recorder, "/api/partners/webhooks/stock", 401, 2, method: "POST");

        PerWindow(recorder, EndpointGroups.PartnerApi, w => w.Count).ShouldBe([2, 8, 8]);
        PerWindow(recorder, EndpointGroups.PartnerApi, w => w.Unauthorized).ShouldBe([2, 5, 5]);
        PerWindow(recorder, EndpointGroups.PartnerApi, w => w.Forbidden).ShouldBe([0, 1, 1]);

        time.Advance(TimeSpan.FromMinutes(5)); // first answers 6¼ min old, the last two 5 min
        PerWindow(recorder, EndpointGroups.PartnerApi, w => w.Unauthorized).ShouldBe([0, 0, 5]);
        PerWindow(recorder, EndpointGroups.Admin, w => w.Forbidden).ShouldBe([0, 0, 2]);

        time.Advance(TimeSpan.FromMinutes(10)); // everything older than 15 min
        PerWindow(recorder, EndpointGroups.PartnerApi, w => w.Unauthorized).ShouldBe([0, 0, 0]);
        PerWindow(recorder, EndpointGroups.PartnerApi, w => w.Count).ShouldBe([0, 0, 0]);
        recorder.Snapshot().UnauthorizedSinceStart.ShouldBe(6, "since start is not a window");
    }

    [Fact]
    public void An_old_slot_is_reset_with_its_401_counts_when_the_ring_comes_back_to_it()
    {
        var (recorder, time) = TestTelemetry.Recorder();
        Answer(recorder, "/api/partners/jobs", 401, 4);

        time.Advance(TimeSpan.FromMinutes(15)); // same ring position
        Answer(recorder, "/api/partners/jobs", 401, 1);

        var window = recorder.Snapshot().Group(EndpointGroups.PartnerApi).Window(15);
        window.Unauthorized.ShouldBe(1);
        window.Count.ShouldBe(1);
    }

    [Fact]
    public void Partner_answers_are_split_into_valid_key_refused_key_and_served_without_a_key()
    {
        var (recorder, _) = TestTelemetry.Recorder();
        Answer(recorder, "/api/partners/jobs", 401, 4, ms: 3);                                        // missing or wrong key
        Answer(recorder, "/api/partners/webhooks/stock", 401, 1, ms: 6, authenticated: true, "POST"); // valid key, bad signature
        Answer(recorder, "/api/partners/feeds", 200, 2, ms: 80, authenticated: true, "POST");         // valid key
        Answer(recorder, "/api/partners/jobs", 200, 1, ms: 2);                                        // served without a key
        Answer(recorder, "/api/partners/nowhere", 404, 1, ms: 1);                                     // unknown path, no key
        Answer(recorder, "/catalog", 200, 5, ms: 2);                                                  // anonymous storefront

        var snapshot = recorder.Snapshot();
        var partner = snapshot.Group(EndpointGroups.PartnerApi).Window(15);
        partner.Count.ShouldBe(9);
        partner.Unauthorized.ShouldBe(5);
        partner.Authenticated.ShouldBe(3);
        partner.UnauthorizedAuthenticated.ShouldBe(1);
        partner.ServedUnauthenticated.ShouldBe(1);
        snapshot.Group(EndpointGroups.Storefront).Window(15).ServedUnauthenticated.ShouldBe(5);

        var rejected = snapshot.PartnerApiKeyRejected.Window(15);
        rejected.Count.ShouldBe(4, "only 401s to callers without a valid key");
        rejected.P99.ShouldNotBeNull().ShouldBe(3, 3 * LatencyHistogram.RelativeError + 0.01);
        var valid = snapshot.PartnerApiAuthenticated.Window(15);
        valid.Count.ShouldBe(3);
        valid.Unauthorized.ShouldBe(1);
        valid.P99.ShouldNotBeNull().ShouldBe(80, 80 * LatencyHistogram.RelativeError + 0.01);
    }

    [Fact]
    public void Each_401_and_403_adds_one_to_its_OpenTelemetry_counter_tagged_with_the_group()
    {
        var meters = TestTelemetry.MeterFactory();
        var recorder = new RequestTimingRecorder(new FakeTimeProvider(TestTelemetry.Start), meters);
        var counted = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name is "retail.http.unauthorized" or "retail.http.forbidden")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + "|" + tags.ToArray().Single(t => t.Key == "group").Value;
            counted[key] = counted.GetValueOrDefault(key) + value;
        });
        listener.Start();

        Answer(recorder, "/api/partners/jobs", 401, 3);
        Answer(recorder, "/api/checkout", 401, 1, method: "POST");
        Answer(recorder, "/admin/users", 403, 2, authenticated: true);
        Answer(recorder, "/api/partners/jobs", 200, 5, authenticated: true);
        Answer(recorder, "/health/ready", 401, 1); // not timed, not counted

        counted.ShouldBe(new Dictionary<string, long>
        {
            ["retail.http.unauthorized|partner-api"] = 3,
            ["retail.http.unauthorized|checkout"] = 1,
            ["retail.http.forbidden|admin"] = 2,
        }, ignoreOrder: true);
    }
}
