using System.Diagnostics.Metrics;

namespace Retail.Modules.Monitoring.Application.Flash;

/// <summary>Flash listing reads and database loads seen in this process since it started, and the cache hit rate (SPEC P1).</summary>
/// <param name="HitRatePercent">Reads answered without a database load, in percent (two decimals); null before the first read.</param>
public sealed record FlashListingRatesDto(long Requests, long Loads, double? HitRatePercent);

/// <summary>
/// Listens to the FlashSales module's <c>retail.flash.listing.requests</c> and <c>.loads</c> counters (meter
/// <c>Retail.FlashSales</c>) with a <see cref="MeterListener"/>: Monitoring reads FlashSales' figures without referencing
/// its code (ADR 0004). Started with the host (see MonitoringModuleExtensions), so it counts from the first request.
/// </summary>
public sealed class FlashListingMeter : IDisposable
{
    public const string FlashMeterName = "Retail.FlashSales";
    public const string RequestsInstrument = "retail.flash.listing.requests";
    public const string LoadsInstrument = "retail.flash.listing.loads";

    private readonly MeterListener _listener = new();
    private long _requests;
    private long _loads;

    public FlashListingMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == FlashMeterName && instrument.Name is RequestsInstrument or LoadsInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == RequestsInstrument)
            {
                Interlocked.Add(ref _requests, value);
            }
            else
            {
                Interlocked.Add(ref _loads, value);
            }
        });
        _listener.Start();
    }

    public FlashListingRatesDto Read()
    {
        var requests = Interlocked.Read(ref _requests);
        var loads = Interlocked.Read(ref _loads);
        return new FlashListingRatesDto(requests, loads, HitRate(requests, loads));
    }

    /// <summary>1 − loads ÷ reads, in percent with two decimals; never below 0 (loads without reads: cache warming).</summary>
    public static double? HitRate(long requests, long loads) =>
        requests > 0 ? Math.Round(Math.Max(0, 100d * (requests - loads) / requests), 2) : null;

    public void Dispose() => _listener.Dispose();
}
