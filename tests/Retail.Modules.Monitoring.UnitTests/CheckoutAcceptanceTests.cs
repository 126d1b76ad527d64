using Retail.Modules.Monitoring.Application.Abstractions;
using Retail.Modules.Monitoring.Application.Scenarios;
using Retail.Modules.Monitoring.Application.Timing;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Monitoring.UnitTests;

/// <summary>Accepted / submitted per endpoint group (API submissions only) and the A3 card judged from it.</summary>
public sealed class CheckoutAcceptanceTests
{
    private static void Checkouts(RequestTimingRecorder recorder, int status, int count)
    {
        for (var i = 0; i < count; i++)
        {
            recorder.Record("/api/checkout", status, TimeSpan.FromMilliseconds(40), "POST");
        }
    }

    [Fact]
    public void Accepted_submitted_and_429s_are_counted_per_window()
    {
        var (recorder, time) = TestTelemetry.Recorder();
        Checkouts(recorder, 201, 90);
        Checkouts(recorder, 202, 8);
        Checkouts(recorder, 422, 1);
        Checkouts(recorder, 503, 1);
        Checkouts(recorder, 429, 10);

        var window = recorder.Snapshot().Group(EndpointGroups.Checkout).Window(1);

        window.Submitted.ShouldBe(110);
        window.Accepted.ShouldBe(98);
        window.SubmittedRateLimited.ShouldBe(10);
        window.AcceptedPercent.ShouldBe(89.09);
        window.AcceptedPercentOfAdmitted.ShouldBe(98);

        time.Advance(TimeSpan.FromMinutes(2));
        Checkouts(recorder, 201, 10);
        var snapshot = recorder.Snapshot().Group(EndpointGroups.Checkout);
        snapshot.Window(1).Submitted.ShouldBe(10);
        snapshot.Window(1).AcceptedPercent.ShouldBe(100);
        snapshot.Window(5).Submitted.ShouldBe(120);
        snapshot.Window(5).Accepted.ShouldBe(108);
        snapshot.Window(15).SubmittedRateLimited.ShouldBe(10);
    }

    [Fact]
    public void Pages_reads_and_requests_without_a_method_are_not_submissions()
    {
        var (recorder, _) = TestTelemetry.Recorder();
        recorder.Record("/checkout", 302, TimeSpan.FromMilliseconds(5), "POST");
        recorder.Record("/cart", 200, TimeSpan.FromMilliseconds(5), "GET");
        recorder.Record("/api/checkout", 200, TimeSpan.FromMilliseconds(5), "GET");
        recorder.Record("/api/checkout", 201, TimeSpan.FromMilliseconds(5));
        recorder.Record("/api/cart/items", 200, TimeSpan.FromMilliseconds(5), "post");

        var window = recorder.Snapshot().Group(EndpointGroups.Checkout).Window(15);

        window.Count.ShouldBe(4);
        window.Submitted.ShouldBe(0, "the page post, the reads and the request without a method are not submissions");
        window.Accepted.ShouldBe(0);
        window.AcceptedPercent.ShouldBeNull();
        var other = recorder.Snapshot().Group(EndpointGroups.ApiOther).Window(15);
        other.Submitted.ShouldBe(1, "methods are compared case-insensitively");
        other.Accepted.ShouldBe(1);
        recorder.Snapshot().Group(EndpointGroups.Storefront).Window(15).Submitted.ShouldBe(0);
    }

    [Fact]
    public void Without_submissions_the_rates_are_empty()
    {
        var (recorder, _) = TestTelemetry.Recorder();
        Checkouts(recorder, 429, 3);

        var window = recorder.Snapshot().Group(EndpointGroups.Checkout).Window(5);

        window.AcceptedPercent.ShouldBe(0);
        window.AcceptedPercentOfAdmitted.ShouldBeNull();
        recorder.Snapshot().Group(EndpointGroups.Admin).Window(5).AcceptedPercent.ShouldBeNull();
    }

    private static PaymentsOverviewDto Breaker(string state, DateTimeOffset? openedAt = null, TimeSpan? mttr = null, DateTimeOffset? recoveredAt = null) =>
        new(state, openedAt, mttr, recoveredAt, 1, 7, 100, 0, 0, 0, 0);

    private static ScenarioCardDto A3(RequestTimingRecorder recorder, PaymentsOverviewDto payments) =>
        ScenarioCards.Evaluate(new ScenarioInputs(recorder.Snapshot(), payments, [new ModuleOutboxDto("ordering", true, 0, 0, null)], new HashSet<string> { "ordering" }, 1, 0))
            .Single(c => c.Id == "A3");

    [Fact]
    public void A3_is_fulfilled_with_99_percent_accepted_while_the_breaker_is_open()
    {
        var (recorder, time) = TestTelemetry.Recorder();
        Checkouts(recorder, 201, 20);
        Checkouts(recorder, 202, 179);
        Checkouts(recorder, 503, 1);
        Checkouts(recorder, 429, 5);

        var card = A3(recorder, Breaker("Open", time.GetUtcNow().AddMinutes(-2)));

        card.Status.ShouldBe(ScenarioStatus.Fulfilled);
        card.Evidence.ShouldBe("outage in the last 15 min (breaker Open): 199 of 200 checkouts accepted (99.5%), 5 rate-limited not counted, threshold 99%; no outage recovered yet; 7 payment(s) pending");
    }

    [Fact]
    public void A3_is_not_fulfilled_below_99_percent_during_an_outage()
    {
        var (recorder, time) = TestTelemetry.Recorder();
        Checkouts(recorder, 202, 97);
        Checkouts(recorder, 503, 3);

        var card = A3(recorder, Breaker("Closed", mttr: TimeSpan.FromSeconds(42), recoveredAt: time.GetUtcNow().AddMinutes(-1)));

        card.Status.ShouldBe(ScenarioStatus.NotFulfilled);
        card.Evidence.ShouldContain("97 of 100 checkouts accepted (97%)");
        card.Evidence.ShouldContain("last MTTR 42.0 s, threshold 300 s");
    }

    [Fact]
    public void A3_without_an_outage_in_the_window_is_judged_by_the_last_MTTR_only()
    {
        var (recorder, time) = TestTelemetry.Recorder();
        Checkouts(recorder, 422, 10);
        var longAgo = time.GetUtcNow().AddHours(-2);

        A3(recorder, Breaker("Closed")).Status.ShouldBe(ScenarioStatus.NoData);
        var card = A3(recorder, Breaker("Closed", mttr: TimeSpan.FromSeconds(30), recoveredAt: longAgo));
        card.Status.ShouldBe(ScenarioStatus.Fulfilled);
        card.Evidence.ShouldStartWith("no outage in the last 15 min: 0 of 10 checkouts accepted (0%)");
        A3(recorder, Breaker("Closed", mttr: TimeSpan.FromMinutes(6), recoveredAt: longAgo)).Status.ShouldBe(ScenarioStatus.NotFulfilled);
    }
}
