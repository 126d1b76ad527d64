using System.Diagnostics.Metrics;
using Retail.Modules.Monitoring.Application.Abstractions;
using Retail.Modules.Monitoring.Application.Flash;
using Retail.Modules.Monitoring.Application.Scenarios;

namespace Retail.Modules.Monitoring.UnitTests;

/// <summary>The flash listing hit rate read from FlashSales' meter through a listener (no reference to FlashSales' code).</summary>
public sealed class FlashListingMeterTests
{
    [Fact]
    public void Reads_the_listing_counters_of_the_flash_meter_only()
    {
        using var reader = new FlashListingMeter();
        using var flash = new Meter(FlashListingMeter.FlashMeterName);
        using var elsewhere = new Meter("Retail.Elsewhere");
        var requests = flash.CreateCounter<long>(FlashListingMeter.RequestsInstrument);
        var loads = flash.CreateCounter<long>(FlashListingMeter.LoadsInstrument);

        requests.Add(999);
        loads.Add(2);
        flash.CreateCounter<long>("retail.flash.checkout.rejections").Add(5);
        elsewhere.CreateCounter<long>(FlashListingMeter.RequestsInstrument).Add(100);

        reader.Read().ShouldBe(new FlashListingRatesDto(999, 2, 99.8));
    }

    [Theory]
    [InlineData(0, 0, null)]
    [InlineData(1, 1, 0.0)]
    [InlineData(500, 2, 99.6)]
    [InlineData(3, 5, 0.0)]
    public void Hit_rate_is_reads_without_a_load(long requests, long loads, double? expected) =>
        FlashListingMeter.HitRate(requests, loads).ShouldBe(expected);

    [Fact]
    public void P1_shows_the_listing_hit_rate_next_to_its_p95()
    {
        var (recorder, _) = TestTelemetry.Recorder();
        recorder.Record("/flash/products", 200, TimeSpan.FromMilliseconds(8), "GET");

        var card = ScenarioCards.Evaluate(new ScenarioInputs(
                recorder.Snapshot(), null, [new ModuleOutboxDto("flashsales", true, 0, 0, null)], new HashSet<string> { "flashsales" }, 1, 0,
                new FlashListingRatesDto(999, 2, 99.8)))
            .Single(c => c.Id == "P1");

        card.Status.ShouldBe(ScenarioStatus.Fulfilled);
        card.Evidence.ShouldStartWith("1 flash-listing requests, p95 ");
        card.Evidence.ShouldEndWith("; listing cache hit rate 99.8% (2 loads for 999 reads since start)");
    }
}
