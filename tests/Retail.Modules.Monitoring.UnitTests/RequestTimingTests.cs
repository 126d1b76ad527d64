using Retail.Modules.Monitoring.Application.Timing;

namespace Retail.Modules.Monitoring.UnitTests;

public sealed class RequestTimingTests
{
    private static void ShouldBeWithinBucketError(double? actual, double expected) =>
        actual.ShouldNotBeNull().ShouldBe(expected, expected * LatencyHistogram.RelativeError + 0.01);

    [Fact]
    public void Percentiles_of_1_to_100_ms_are_50_95_and_99_within_the_bucket_error()
    {
        var (recorder, _) = TestTelemetry.Recorder();
        foreach (var ms in Enumerable.Range(1, 100).Reverse())
        {
            recorder.Record("/catalog", 200, TimeSpan.FromMilliseconds(ms));
        }

        var window = recorder.Snapshot().Group(EndpointGroups.Storefront).Window(1);

        window.Count.ShouldBe(100);
        ShouldBeWithinBucketError(window.P50, 50);
        ShouldBeWithinBucketError(window.P95, 95);
        ShouldBeWithinBucketError(window.P99, 99);
        window.Max.ShouldBe(100);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.1)]
    [InlineData(0.73)]
    [InlineData(12.5)]
    [InlineData(480)]
    [InlineData(4999)]
    [InlineData(65_000)]
    public void A_single_duration_reads_back_within_the_documented_error(double ms)
    {
        var (recorder, _) = TestTelemetry.Recorder();

        recorder.Record("/api/checkout", 200, TimeSpan.FromMilliseconds(ms));

        var window = recorder.Snapshot().Group(EndpointGroups.Checkout).Window(5);
        window.P99.ShouldNotBeNull().ShouldBe(ms, Math.Max(ms * LatencyHistogram.RelativeError, 0.05) + 0.01);
    }

    [Fact]
    public void Windows_slide_with_time()
    {
        var (recorder, time) = TestTelemetry.Recorder();
        recorder.Record("/", 200, TimeSpan.FromMilliseconds(10));

        time.Advance(TimeSpan.FromSeconds(30));
        Counts(recorder).ShouldBe([1, 1, 1]);

        time.Advance(TimeSpan.FromSeconds(45)); // 75 s after: out of the 1-minute window
        recorder.Record("/", 200, TimeSpan.FromMilliseconds(20));
        Counts(recorder).ShouldBe([1, 2, 2]);

        time.Advance(TimeSpan.FromMinutes(5)); // first one is 6+ min old, second 5 min
        Counts(recorder).ShouldBe([0, 0, 2]);

        time.Advance(TimeSpan.FromMinutes(10));
        Counts(recorder).ShouldBe([0, 0, 0]);
        recorder.Snapshot().Group(EndpointGroups.Storefront).Window(15).P99.ShouldBeNull();
        recorder.Snapshot().RequestsSinceStart.ShouldBe(2);
    }

    [Fact]
    public void An_old_slot_is_reset_when_the_ring_comes_back_to_it()
    {
        var (recorder, time) = TestTelemetry.Recorder();
        recorder.Record("/", 200, TimeSpan.FromMilliseconds(500));

        time.Advance(TimeSpan.FromMinutes(15)); // same ring position, 15 minutes later
        recorder.Record("/", 200, TimeSpan.FromMilliseconds(5));

        var window = recorder.Snapshot().Group(EndpointGroups.Storefront).Window(15);
        window.Count.ShouldBe(1);
        window.Max.ShouldBe(5);
    }

    [Fact]
    public void Rate_limited_answers_are_counted_per_group_and_timed_on_their_own()
    {
        var (recorder, _) = TestTelemetry.Recorder();
        recorder.Record("/api/checkout", 429, TimeSpan.FromMilliseconds(3));
        recorder.Record("/api/checkout", 200, TimeSpan.FromMilliseconds(300));
        recorder.Record("/api/flash/products", 429, TimeSpan.FromMilliseconds(2));

        var snapshot = recorder.Snapshot();

        snapshot.RateLimitedSinceStart.ShouldBe(2);
        snapshot.Group(EndpointGroups.Checkout).Window(1).RateLimited.ShouldBe(1);
        snapshot.RateLimitedAnswers.Window(1).Count.ShouldBe(2);
        snapshot.RateLimitedAnswers.Window(1).P99.ShouldNotBeNull().ShouldBeLessThan(3.1);
    }

    [Fact]
    public void Health_metrics_and_static_files_are_not_timed()
    {
        var (recorder, _) = TestTelemetry.Recorder();
        foreach (var path in new[] { "/health/live", "/health/ready", "/metrics", "/css/site.css", "/js/dashboard.js", "/img/products/books.svg" })
        {
            recorder.Record(path, 200, TimeSpan.FromMilliseconds(1));
        }

        recorder.Snapshot().RequestsSinceStart.ShouldBe(0);
    }

    [Theory]
    [InlineData("/", EndpointGroups.Storefront)]
    [InlineData("/catalog/product/EL-0001", EndpointGroups.Storefront)]
    [InlineData("/Identity/Login", EndpointGroups.Storefront)]
    [InlineData("/api/checkout", EndpointGroups.Checkout)]
    [InlineData("/checkout/confirm", EndpointGroups.Checkout)]
    [InlineData("/cart", EndpointGroups.Checkout)]
    [InlineData("/flash/products", EndpointGroups.FlashListing)]
    [InlineData("/api/flash/products", EndpointGroups.FlashListing)]
    [InlineData("/api/partners/feeds", EndpointGroups.PartnerApi)]
    [InlineData("/admin/dashboard", EndpointGroups.Admin)]
    [InlineData("/hangfire/jobs", EndpointGroups.Admin)]
    [InlineData("/staff/returns", EndpointGroups.Admin)]
    [InlineData("/api/monitoring/dashboard", EndpointGroups.Admin)]
    [InlineData("/api/catalog/products", EndpointGroups.ApiOther)]
    [InlineData("/cartoons", EndpointGroups.Storefront)]
    [InlineData("/healthy", EndpointGroups.Storefront)]
    public void Paths_fall_into_their_endpoint_group(string path, string group) =>
        EndpointGroups.Classify(path).ShouldBe(group);

    private static long[] Counts(RequestTimingRecorder recorder) =>
        [.. recorder.Snapshot().Group(EndpointGroups.Storefront).Windows.Select(w => w.Count)];
}
