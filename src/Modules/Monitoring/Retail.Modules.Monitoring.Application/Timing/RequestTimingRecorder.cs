using System.Diagnostics.Metrics;

namespace Retail.Modules.Monitoring.Application.Timing;

/// <summary>
/// Percentiles of one endpoint group over one window, in milliseconds (null while the window is empty), and its API
/// submissions: <paramref name="Submitted"/> JSON API requests that change something (not GET/HEAD/OPTIONS), of which
/// <paramref name="Accepted"/> were answered 2xx and <paramref name="SubmittedRateLimited"/> 429.
/// </summary>
/// <param name="Count">Every answer of the group in the window.</param>
/// <param name="Unauthorized">Answers 401 (no or no valid credentials: for the partner API a missing, unknown, wrong or
/// revoked key, or a refused webhook signature or timestamp).</param>
/// <param name="Forbidden">Answers 403 (authenticated, but not allowed).</param>
/// <param name="Authenticated">Requests whose caller was authenticated when the answer left (a valid partner API key, a
/// signed-in user or a bearer token).</param>
/// <param name="UnauthorizedAuthenticated">401 answers to an authenticated caller (for the partner API: a valid key whose
/// webhook signature or timestamp was refused), part of <paramref name="Unauthorized"/>.</param>
/// <param name="ServedUnauthenticated">2xx answers to a caller that was not authenticated (normal for the storefront; for the
/// partner API a breach of SPEC S1).</param>
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
    long SubmittedRateLimited = 0,
    long Unauthorized = 0,
    long Forbidden = 0,
    long Authenticated = 0,
    long UnauthorizedAuthenticated = 0,
    long ServedUnauthenticated = 0)
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
/// <param name="UnauthorizedSinceStart">Every 401 answer since the start of this instance, whatever its group.</param>
/// <param name="PartnerApiAuthenticated">Partner API requests answered to a caller with a valid key: their count and timing.</param>
/// <param name="PartnerApiKeyRejected">Partner API requests answered 401 to a caller without a valid key (missing, unknown,
/// wrong or revoked key): how fast a key is refused, i.e. what the key check costs (SPEC S1).</param>
/// <param name="PartnerWebhookAcks">Stock webhook POSTs answered 2xx: how fast a webhook is acknowledged (SPEC I2).</param>
/// <param name="PartnerFeedUploads">Feed POSTs answered 2xx (202 receipts, and small feeds' 200 with their report): how
/// fast an upload is answered (SPEC U2).</param>
public sealed record RequestTimingSnapshot(
    DateTimeOffset At,
    long RequestsSinceStart,
    long RateLimitedSinceStart,
    IReadOnlyList<EndpointGroupTimingDto> Groups,
    EndpointGroupTimingDto RateLimitedAnswers,
    long UnauthorizedSinceStart,
    EndpointGroupTimingDto PartnerApiAuthenticated,
    EndpointGroupTimingDto PartnerApiKeyRejected,
    EndpointGroupTimingDto PartnerWebhookAcks,
    EndpointGroupTimingDto PartnerFeedUploads)
{
    public EndpointGroupTimingDto Group(string name) => Groups.Single(g => g.Group == name);
}

/// <summary>
/// Records every request's duration in process, per endpoint group, into sliding windows of 1, 5 and 15 minutes kept as
/// 60 slots of 15 s (time from <see cref="TimeProvider"/>), each slot a <see cref="LatencyHistogram"/>. The 1-minute
/// window therefore covers the last 45 to 60 s, the others likewise to within one slot. Memory is fixed: 11 series ×
/// 60 slots × 289 counters. Durations also go to the <c>retail.monitoring.request.duration</c> OpenTelemetry histogram;
/// 429, 401 and 403 answers to the <c>retail.monitoring.rate_limited</c>, <c>retail.http.unauthorized</c> and
/// <c>retail.http.forbidden</c> counters (tag <c>group</c>).
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
    private readonly GroupSeries _partnerAuthenticated = new();
    private readonly GroupSeries _partnerKeyRejected = new();
    private readonly GroupSeries _partnerWebhookAcks = new();
    private readonly GroupSeries _partnerFeedUploads = new();
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _rateLimitedCounter;
    private readonly Counter<long> _unauthorizedCounter;
    private readonly Counter<long> _forbiddenCounter;
    private long _requests;
    private long _rateLimitedTotal;
    private long _unauthorizedTotal;

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
        _unauthorizedCounter = meter.CreateCounter<long>("retail.http.unauthorized", description: "Requests answered 401 Unauthorized (missing or invalid credentials), by endpoint group");
        _forbiddenCounter = meter.CreateCounter<long>("retail.http.forbidden", description: "Requests answered 403 Forbidden, by endpoint group");
        meter.CreateObservableCounter("retail.monitoring.requests", () => Interlocked.Read(ref _requests), description: "Requests timed by the monitoring recorder");
    }

    /// <summary>
    /// Records one finished request. Paths outside every group (health, metrics, static files) are ignored. With its
    /// HTTP <paramref name="method"/>, a JSON API request that changes something also counts as a submission, accepted
    /// when answered 2xx (pages are not counted: they answer 302 on success and 200 with an error message).
    /// <paramref name="authenticated"/> says whether the caller was authenticated when the answer left (the middleware reads
    /// <c>HttpContext.User</c> after the pipeline, so endpoint schemes such as the partner API key count too).
    /// </summary>
    public void Record(string? path, int statusCode, TimeSpan elapsed, string? method = null, bool authenticated = false)
    {
        var group = EndpointGroups.Classify(path);
        if (group is null)
        {
            return;
        }

        var milliseconds = Math.Max(0, elapsed.TotalMilliseconds);
        var slot = SlotOf(_time.GetUtcNow());
        var limited = statusCode == 429;
        var unauthorized = statusCode == 401;
        var forbidden = statusCode == 403;
        var submission = EndpointGroups.IsApiSubmission(method, path)
            ? statusCode is >= 200 and < 300 ? Submission.Accepted : limited ? Submission.RateLimited : Submission.Refused
            : Submission.None;
        var answer = new Answer(
            milliseconds,
            limited,
            submission,
            unauthorized,
            forbidden,
            authenticated,
            ServedUnauthenticated: !authenticated && statusCode is >= 200 and < 300);
        _groups[group].Add(slot, answer);
        Interlocked.Increment(ref _requests);
        var groupTag = new KeyValuePair<string, object?>("group", group);
        _duration.Record(milliseconds / 1000d, groupTag, new("status_class", StatusClass(statusCode)));
        if (limited)
        {
            _rateLimited.Add(slot, new Answer(milliseconds, Limited: true));
            Interlocked.Increment(ref _rateLimitedTotal);
            _rateLimitedCounter.Add(1, groupTag);
        }

        if (unauthorized)
        {
            Interlocked.Increment(ref _unauthorizedTotal);
            _unauthorizedCounter.Add(1, groupTag);
        }

        if (forbidden)
        {
            _forbiddenCounter.Add(1, groupTag);
        }

        if (group == EndpointGroups.PartnerApi)
        {
            if (authenticated)
            {
                _partnerAuthenticated.Add(slot, answer);
            }
            else if (unauthorized)
            {
                _partnerKeyRejected.Add(slot, answer);
            }

            // I2 and U2 are judged on their own endpoint: the whole group's percentiles were diluted by status polls and
            // mixed feed uploads into webhook acknowledgements (and webhooks into uploads).
            if (statusCode is >= 200 and < 300)
            {
                if (EndpointGroups.IsPartnerWebhook(method, path))
                {
                    _partnerWebhookAcks.Add(slot, answer);
                }
                else if (EndpointGroups.IsPartnerFeedUpload(method, path))
                {
                    _partnerFeedUploads.Add(slot, answer);
                }
            }
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
            new EndpointGroupTimingDto(EndpointGroups.RateLimited, _rateLimited.Windows(slot)),
            Interlocked.Read(ref _unauthorizedTotal),
            new EndpointGroupTimingDto(PartnerApiAuthenticatedSeries, _partnerAuthenticated.Windows(slot)),
            new EndpointGroupTimingDto(PartnerApiKeyRejectedSeries, _partnerKeyRejected.Windows(slot)),
            new EndpointGroupTimingDto(PartnerWebhookAcksSeries, _partnerWebhookAcks.Windows(slot)),
            new EndpointGroupTimingDto(PartnerFeedUploadsSeries, _partnerFeedUploads.Windows(slot)));
    }

    /// <summary>Name of <see cref="RequestTimingSnapshot.PartnerApiAuthenticated"/> (not an endpoint group).</summary>
    public const string PartnerApiAuthenticatedSeries = "partner-api-authenticated";

    /// <summary>Name of <see cref="RequestTimingSnapshot.PartnerApiKeyRejected"/> (not an endpoint group).</summary>
    public const string PartnerApiKeyRejectedSeries = "partner-api-key-rejected";

    /// <summary>Name of <see cref="RequestTimingSnapshot.PartnerWebhookAcks"/> (not an endpoint group).</summary>
    public const string PartnerWebhookAcksSeries = "partner-webhook-acks";

    /// <summary>Name of <see cref="RequestTimingSnapshot.PartnerFeedUploads"/> (not an endpoint group).</summary>
    public const string PartnerFeedUploadsSeries = "partner-feed-uploads";

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

    /// <summary>What one answer adds to a slot.</summary>
    private readonly record struct Answer(
        double Milliseconds,
        bool Limited = false,
        Submission Submission = Submission.None,
        bool Unauthorized = false,
        bool Forbidden = false,
        bool Authenticated = false,
        bool ServedUnauthenticated = false);

    /// <summary>The 60 slots of one group; a slot is reset when the ring comes back to it for a newer 15 s.</summary>
    private sealed class GroupSeries
    {
        private readonly Lock _lock = new();
        private readonly Slot[] _slots = Enumerable.Range(0, SlotCount).Select(_ => new Slot()).ToArray();

        public void Add(long slotNumber, Answer answer)
        {
            lock (_lock)
            {
                var slot = _slots[(int)(slotNumber % SlotCount)];
                if (slot.Number != slotNumber)
                {
                    slot.Reset(slotNumber);
                }

                slot.Counts[LatencyHistogram.BucketOf(answer.Milliseconds)]++;
                slot.Total++;
                slot.Max = Math.Max(slot.Max, answer.Milliseconds);
                slot.RateLimited += answer.Limited ? 1 : 0;
                slot.Unauthorized += answer.Unauthorized ? 1 : 0;
                slot.Forbidden += answer.Forbidden ? 1 : 0;
                slot.Authenticated += answer.Authenticated ? 1 : 0;
                slot.UnauthorizedAuthenticated += answer.Unauthorized && answer.Authenticated ? 1 : 0;
                slot.ServedUnauthenticated += answer.ServedUnauthenticated ? 1 : 0;
                if (answer.Submission != Submission.None)
                {
                    slot.Submitted++;
                    slot.Accepted += answer.Submission == Submission.Accepted ? 1 : 0;
                    slot.SubmittedRateLimited += answer.Submission == Submission.RateLimited ? 1 : 0;
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
                    long unauthorized = 0, forbidden = 0, authenticated = 0, unauthorizedAuthenticated = 0, servedUnauthenticated = 0;
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
                            unauthorized += slot.Unauthorized;
                            forbidden += slot.Forbidden;
                            authenticated += slot.Authenticated;
                            unauthorizedAuthenticated += slot.UnauthorizedAuthenticated;
                            servedUnauthenticated += slot.ServedUnauthenticated;
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
                        submittedLimited,
                        unauthorized,
                        forbidden,
                        authenticated,
                        unauthorizedAuthenticated,
                        servedUnauthenticated));
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

        public long Unauthorized { get; set; }

        public long Forbidden { get; set; }

        public long Authenticated { get; set; }

        public long UnauthorizedAuthenticated { get; set; }

        public long ServedUnauthenticated { get; set; }

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
            Unauthorized = 0;
            Forbidden = 0;
            Authenticated = 0;
            UnauthorizedAuthenticated = 0;
            ServedUnauthenticated = 0;
            Max = 0;
        }
    }
}
