using System.Diagnostics.Metrics;

namespace Retail.Modules.Monitoring.Application.Timing;

/// <summary>
/// Percentiles of one endpoint group over one window, in milliseconds (null while the window is empty), and its API
/// submissions: <paramref name="Submitted"/> JSON API requests that change something (not GET/HEAD/OPTIONS), of which
/// <paramref name="Accepted"/> were answered 2xx and <paramref name="SubmittedRateLimited"/> 429.
/// </summary>
public sealed record LatencyWindowDto(
    int Minutes,
    long Count,
    double? P50,
    double? P95,
    double? P99,
    double? Max,
    long RateLimited,
    long Submitted = 0,
    long Accepted = 0,
    long SubmittedRateLimited = 0)
{
    /// <summary>Accepted ÷ submitted in percent (two decimals), null without submissions.</summary>
    public double? AcceptedPercent => Percent(Accepted, Submitted);

    /// <summary>
    /// Accepted ÷ (submitted − rate-limited) in percent: the share of submissions the system did not refuse on purpose
    /// (SPEC A1 limits are not an outage), null when nothing is left.
    /// </summary>
    public double? AcceptedPercentOfAdmitted => Percent(Accepted, Submitted - SubmittedRateLimited);

    private static double? Percent(long part, long whole) => whole > 0 ? Math.Round(100d * part / whole, 2) : null;
}

public sealed record EndpointGroupTimingDto(string Group, IReadOnlyList<LatencyWindowDto> Windows)
{
    public LatencyWindowDto Window(int minutes) => Windows.Single(w => w.Minutes == minutes);
}

/// <param name="RateLimitedAnswers">Every 429 answer, whatever its group: how fast the limiter decides (SPEC A1).</param>
public sealed record RequestTimingSnapshot(
    DateTimeOffset At,
    long RequestsSinceStart,
    long RateLimitedSinceStart,
    IReadOnlyList<EndpointGroupTimingDto> Groups,
    EndpointGroupTimingDto RateLimitedAnswers)
{
    public EndpointGroupTimingDto Group(string name) => Groups.Single(g => g.Group == name);
}

/// <summary>
/// Records every request's duration in process, per endpoint group, into sliding windows of 1, 5 and 15 minutes kept as
/// 60 slots of 15 s (time from <see cref="TimeProvider"/>), each slot a <see cref="LatencyHistogram"/>. The 1-minute
/// window therefore covers the last 45 to 60 s, the others likewise to within one slot. Memory is fixed: 7 groups ×
/// 60 slots × 289 counters. Durations also go to the <c>retail.monitoring.request.duration</c> OpenTelemetry histogram.
/// </summary>
public sealed class RequestTimingRecorder
{
    public static readonly IReadOnlyList<int> WindowMinutes = [1, 5, 15];

    internal const int SlotSeconds = 15;
    internal const int SlotCount = 15 * 60 / SlotSeconds;

    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly TimeProvider _time;
    private readonly Dictionary<string, GroupSeries> _groups;
    private readonly GroupSeries _rateLimited = new();
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _rateLimitedCounter;
    private long _requests;
    private long _rateLimitedTotal;

    public RequestTimingRecorder(TimeProvider time, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _groups = EndpointGroups.All.ToDictionary(g => g, _ => new GroupSeries(), StringComparer.Ordinal);
        var meter = meterFactory.Create(MonitoringModule.MeterName);
        _duration = meter.CreateHistogram(
            "retail.monitoring.request.duration",
            unit: "s",
            description: "Duration of every HTTP request by endpoint group (health and metrics excluded)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _rateLimitedCounter = meter.CreateCounter<long>("retail.monitoring.rate_limited", description: "Requests answered 429 Too Many Requests, by endpoint group");
        meter.CreateObservableCounter("retail.monitoring.requests", () => Interlocked.Read(ref _requests), description: "Requests timed by the monitoring recorder");
    }

    /// <summary>
    /// Records one finished request. Paths outside every group (health, metrics, static files) are ignored. With its
    /// HTTP <paramref name="method"/>, a JSON API request that changes something also counts as a submission, accepted
    /// when answered 2xx (pages are not counted: they answer 302 on success and 200 with an error message).
    /// </summary>
    public void Record(string? path, int statusCode, TimeSpan elapsed, string? method = null)
    {
        var group = EndpointGroups.Classify(path);
        if (group is null)
        {
            return;
        }

        var milliseconds = Math.Max(0, elapsed.TotalMilliseconds);
        var slot = SlotOf(_time.GetUtcNow());
        var limited = statusCode == 429;
        var submission = EndpointGroups.IsApiSubmission(method, path)
            ? statusCode is >= 200 and < 300 ? Submission.Accepted : limited ? Submission.RateLimited : Submission.Refused
            : Submission.None;
        _groups[group].Add(slot, milliseconds, limited, submission);
        Interlocked.Increment(ref _requests);
        _duration.Record(milliseconds / 1000d, new("group", group), new("status_class", StatusClass(statusCode)));
        if (limited)
        {
            _rateLimited.Add(slot, milliseconds, limited: true, Submission.None);
            Interlocked.Increment(ref _rateLimitedTotal);
            _rateLimitedCounter.Add(1, new KeyValuePair<string, object?>("group", group));
        }
    }

    public RequestTimingSnapshot Snapshot()
    {
        var now = _time.GetUtcNow();
        var slot = SlotOf(now);
        var groups = EndpointGroups.All.Select(g => new EndpointGroupTimingDto(g, _groups[g].Windows(slot))).ToList();
        return new RequestTimingSnapshot(
            now,
            Interlocked.Read(ref _requests),
            Interlocked.Read(ref _rateLimitedTotal),
            groups,
            new EndpointGroupTimingDto(EndpointGroups.RateLimited, _rateLimited.Windows(slot)));
    }

    private static long SlotOf(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / (SlotSeconds * 1000L);

    private static string StatusClass(int statusCode) => statusCode switch
    {
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        429 => "429",
        < 500 => "4xx",
        _ => "5xx",
    };

    private enum Submission
    {
        None,
        Accepted,
        RateLimited,
        Refused,
    }

    /// <summary>The 60 slots of one group; a slot is reset when the ring comes back to it for a newer 15 s.</summary>
    private sealed class GroupSeries
    {
        private readonly Lock _lock = new();
        private readonly Slot[] _slots = Enumerable.Range(0, SlotCount).Select(_ => new Slot()).ToArray();

        public void Add(long slotNumber, double milliseconds, bool limited, Submission submission)
        {
            lock (_lock)
            {
                var slot = _slots[(int)(slotNumber % SlotCount)];
                if (slot.Number != slotNumber)
                {
                    slot.Reset(slotNumber);
                }

                slot.Counts[LatencyHistogram.BucketOf(milliseconds)]++;
                slot.Total++;
                slot.Max = Math.Max(slot.Max, milliseconds);
                if (limited)
                {
                    slot.RateLimited++;
                }

                if (submission != Submission.None)
                {
                    slot.Submitted++;
                    slot.Accepted += submission == Submission.Accepted ? 1 : 0;
                    slot.SubmittedRateLimited += submission == Submission.RateLimited ? 1 : 0;
                }
            }
        }

        public IReadOnlyList<LatencyWindowDto> Windows(long currentSlot)
        {
            var counts = new long[LatencyHistogram.BucketCount];
            var windows = new List<LatencyWindowDto>(WindowMinutes.Count);
            lock (_lock)
            {
                foreach (var minutes in WindowMinutes)
                {
                    Array.Clear(counts);
                    long total = 0, limited = 0, submitted = 0, accepted = 0, submittedLimited = 0;
                    double max = 0;
                    var oldest = currentSlot - (minutes * 60 / SlotSeconds);
                    foreach (var slot in _slots)
                    {
                        if (slot.Number > oldest && slot.Number <= currentSlot && slot.Total > 0)
                        {
                            for (var i = 0; i < counts.Length; i++)
                            {
                                counts[i] += slot.Counts[i];
                            }

                            total += slot.Total;
                            limited += slot.RateLimited;
                            submitted += slot.Submitted;
                            accepted += slot.Accepted;
                            submittedLimited += slot.SubmittedRateLimited;
                            max = Math.Max(max, slot.Max);
                        }
                    }

                    windows.Add(new LatencyWindowDto(
                        minutes,
                        total,
                        Round(LatencyHistogram.Percentile(counts, total, 0.50, max)),
                        Round(LatencyHistogram.Percentile(counts, total, 0.95, max)),
                        Round(LatencyHistogram.Percentile(counts, total, 0.99, max)),
                        total > 0 ? Round(max) : null,
                        limited,
                        submitted,
                        accepted,
                        submittedLimited));
                }
            }

            return windows;
        }

        private static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;
    }

    private sealed class Slot
    {
        public long Number { get; private set; } = -1;

        public long[] Counts { get; } = new long[LatencyHistogram.BucketCount];

        public long Total { get; set; }

        public long RateLimited { get; set; }

        public long Submitted { get; set; }

        public long Accepted { get; set; }

        public long SubmittedRateLimited { get; set; }

        public double Max { get; set; }

        public void Reset(long number)
        {
            Number = number;
            Array.Clear(Counts);
            Total = 0;
            RateLimited = 0;
            Submitted = 0;
            Accepted = 0;
            SubmittedRateLimited = 0;
            Max = 0;
        }
    }
}
