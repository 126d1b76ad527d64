using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Retail.Host.FunctionalTests.Infrastructure;

/// <summary>
/// What the named instruments of one host record while this is open, with their tags: only the meters created by that
/// host's <see cref="IMeterFactory"/>, so the other hosts of the test process do not count.
/// </summary>
public sealed class HostMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Recorded> _recorded = new();

    public HostMeasurements(IMeterFactory host, params string[] instruments)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instruments.Contains(instrument.Name) && ReferenceEquals(instrument.Meter.Scope, host))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Has the observable instruments among them report their current values now (one measurement each).</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    /// <summary>The measurements of <paramref name="instrument"/> so far, in the order they were recorded.</summary>
    public IReadOnlyList<Recorded> Of(string instrument) => _recorded.Where(r => r.Instrument == instrument).ToList();

    /// <summary>The sum of <paramref name="instrument"/>'s measurements.</summary>
    public double Sum(string instrument) => Of(instrument).Sum(r => r.Value);

    /// <summary>The sum of <paramref name="instrument"/>'s measurements whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public double Sum(string instrument, string tag, string value) =>
        Of(instrument).Where(r => r.Tag(tag) == value).Sum(r => r.Value);

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _recorded.Enqueue(new Recorded(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString())));

    public sealed record Recorded(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags)
    {
        public string? Tag(string name) => Tags.GetValueOrDefault(name);
    }
}
