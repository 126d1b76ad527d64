using System.Globalization;
using Retail.Modules.Monitoring.Application.Abstractions;
using Retail.Modules.Monitoring.Application.Dashboard.GetDashboard;
using Retail.Modules.Monitoring.Application.Flash;
using Retail.Modules.Monitoring.Application.Timing;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Monitoring.Application.Scenarios;

public static class ScenarioStatus
{
    public const string Fulfilled = "fulfilled";
    public const string NotFulfilled = "not-fulfilled";
    public const string NoData = "no-data";
    public const string NotBuilt = "not-built";
}

/// <summary>One SPEC scenario on the dashboard: what is measured, the threshold, the verdict and the live evidence.</summary>
public sealed record ScenarioCardDto(string Id, string Title, string Measure, string Threshold, string Status, string Evidence);

/// <summary>What the scenario cards are judged from: all live, nothing stored.</summary>
public sealed record ScenarioInputs(
    RequestTimingSnapshot Requests,
    PaymentsOverviewDto? Payments,
    IReadOnlyList<ModuleOutboxDto> Outbox,
    IReadOnlySet<string> Modules,
    int CountersInDatabase,
    long LogEntriesWritten,
    FlashListingRatesDto? FlashListing = null,
    ReturnsFiguresDto? Returns = null,
    PartnersFiguresDto? Partners = null);

/// <summary>Judges every SPEC scenario from live numbers. Scenarios whose module is not built say so.</summary>
public static class ScenarioCards
{
    public const string Ordering = "ordering";
    public const string FlashSales = "flashsales";
    public const string Partners = "partners";
    public const string Returns = "returns";

    private const string NotBuiltText = "not measured yet (module not built)";
    private const int Window = 15;

    public static IReadOnlyList<ScenarioCardDto> Evaluate(ScenarioInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return
        [
            A1(inputs), A2(inputs), A3(inputs), P1(inputs), P2(inputs), P3(inputs), S1(inputs), I2(inputs), U2(inputs),
            R1(inputs), R2(inputs), O1(inputs), O2(inputs),
        ];
    }

    private static ScenarioCardDto A1(ScenarioInputs i)
    {
        const string title = "A1 Overload protection";
        const string measure = "time to answer 429 (p99, 15 min)";
        const string threshold = "< 100 ms";
        var w = i.Requests.RateLimitedAnswers.Window(Window);
        if (w.Count == 0 || w.P99 is not { } p99)
        {
            return new("A1", title, measure, threshold, ScenarioStatus.NoData,
                $"no 429 answered in the last {Window} min ({i.Requests.RateLimitedSinceStart} since start)");
        }

        return new("A1", title, measure, threshold, p99 < 100 ? ScenarioStatus.Fulfilled : ScenarioStatus.NotFulfilled,
            $"{w.Count} 429s answered p99 {Ms(p99)}, threshold 100 ms");
    }

    private static ScenarioCardDto A2(ScenarioInputs i)
    {
        const string title = "A2 Payment resilience";
        const string measure = "breaker state; checkout answer time (p99, 15 min)";
        const string threshold = "answer < 5 s; fail fast while open";
        if (i.Payments is null)
        {
            return new("A2", title, measure, threshold, ScenarioStatus.NoData, "payments status unavailable");
        }

        var breaker = $"breaker {i.Payments.BreakerState}, opened {i.Payments.Openings} time(s)";
        var checkout = i.Requests.Group(EndpointGroups.Checkout).Window(Window);
        if (checkout.Count == 0 || checkout.P99 is not { } p99)
        {
            return new("A2", title, measure, threshold, ScenarioStatus.NoData, $"{breaker}; no checkout requests in the last {Window} min");
        }

        return new("A2", title, measure, threshold, p99 < 5000 ? ScenarioStatus.Fulfilled : ScenarioStatus.NotFulfilled,
            $"{breaker}; checkout answered p99 {Ms(p99)}, threshold 5000 ms");
    }

    /// <summary>
    /// SPEC A3: at least 99% of submitted checkouts accepted (paid or queued as payment pending) during an outage, and the
    /// MTTR under 5 minutes. "During an outage": the breaker is not closed now, or it opened or recovered within the window.
    /// Submissions are checkout API posts; 429s are refused on purpose (A1) and left out of the rate.
    /// </summary>
    private static ScenarioCardDto A3(ScenarioInputs i)
    {
        const string title = "A3 Graceful degradation";
        const string measure = "checkouts accepted during an outage (15 min); MTTR breaker open → first successful payment";
        const string threshold = "≥ 99% accepted; MTTR < 5 min";
        if (i.Payments is null)
        {
            return new("A3", title, measure, threshold, ScenarioStatus.NoData, "payments status unavailable");
        }

        var p = i.Payments;
        var since = i.Requests.At - TimeSpan.FromMinutes(Window);
        var outage = !string.Equals(p.BreakerState, "Closed", StringComparison.OrdinalIgnoreCase)
            || p.OpenedAt >= since
            || p.LastRecoveredAt >= since;
        var w = i.Requests.Group(EndpointGroups.Checkout).Window(Window);
        var admitted = w.Submitted - w.SubmittedRateLimited;
        var rate = w.AcceptedPercentOfAdmitted;
        var acceptance = admitted > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{w.Accepted} of {admitted} checkouts accepted ({rate:0.##}%), {w.SubmittedRateLimited} rate-limited not counted, threshold 99%")
            : $"no checkout submissions in the last {Window} min";
        var mttrText = p.LastMttr is { } m
            ? $"last MTTR {m.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s, threshold 300 s"
            : "no outage recovered yet";
        var evidence = $"{(outage ? $"outage in the last {Window} min (breaker {p.BreakerState})" : $"no outage in the last {Window} min")}: {acceptance}; {mttrText}; {p.PendingPayments} payment(s) pending";

        var mttrOk = p.LastMttr is not { } mttr || mttr < TimeSpan.FromMinutes(5);
        string status;
        if (outage && rate is { } r)
        {
            status = r >= 99 && mttrOk ? ScenarioStatus.Fulfilled : ScenarioStatus.NotFulfilled;
        }
        else if (p.LastMttr is not null)
        {
            status = mttrOk ? ScenarioStatus.Fulfilled : ScenarioStatus.NotFulfilled;
        }
        else
        {
            status = ScenarioStatus.NoData;
        }

        return new("A3", title, measure, threshold, status, evidence);
    }

    private static ScenarioCardDto P1(ScenarioInputs i)
    {
        var card = Latency(i, "P1", "P1 Flash listing", FlashSales, EndpointGroups.FlashListing, "flash listing p95 (15 min)", 0.95, 100);
        return card.Status != ScenarioStatus.NotBuilt && i.FlashListing is { HitRatePercent: { } hit } listing
            ? card with { Evidence = string.Create(CultureInfo.InvariantCulture, $"{card.Evidence}; listing cache hit rate {hit:0.##}% ({listing.Loads} loads for {listing.Requests} reads since start)") }
            : card;
    }

    private static ScenarioCardDto P2(ScenarioInputs i) =>
        Latency(i, "P2", "P2 Concurrent checkout", Ordering, EndpointGroups.Checkout, "checkout completes (p99, 15 min)", 0.99, 2000);

    private static ScenarioCardDto P3(ScenarioInputs i) =>
        Latency(i, "P3", "P3 Fast path / slow path", Ordering, EndpointGroups.Checkout, "synchronous checkout p95 (15 min)", 0.95, 500);

    /// <summary>Largest p99 time to refuse a partner API key (the 401 answer: key lookup, hash check, audit row).</summary>
    public const double KeyCheckThresholdMs = 50;

    /// <summary>
    /// SPEC S1: every partner API call without a valid key is answered 401, and none is served. Judged from this instance's
    /// partner API answers of the last 15 minutes: not fulfilled when a caller without a valid key got a 2xx answer, or when
    /// refusing a key took <see cref="KeyCheckThresholdMs"/> or more at p99 (a 401 answer is nothing but the key check, so it
    /// measures what authentication adds to every call). Requests with a valid key and their p99 are shown as evidence
    /// only: their time includes the work itself (a small feed is ingested before the answer).
    /// </summary>
    private static ScenarioCardDto S1(ScenarioInputs i)
    {
        const string title = "S1 Partner authentication";
        const string measure = "partner API calls without a valid key answered 401 (15 min); time to refuse a key (p99)";
        var threshold = string.Create(CultureInfo.InvariantCulture, $"every one answered 401, none served; key refused p99 < {KeyCheckThresholdMs} ms");
        if (!i.Modules.Contains(Partners))
        {
            return NotBuilt("S1", title, measure, threshold);
        }

        var w = i.Requests.Group(EndpointGroups.PartnerApi).Window(Window);
        if (w.Count == 0)
        {
            return new("S1", title, measure, threshold, ScenarioStatus.NoData, $"no partner API requests in the last {Window} min");
        }

        var rejected = i.Requests.PartnerApiKeyRejected.Window(Window);
        var valid = i.Requests.PartnerApiAuthenticated.Window(Window);
        var withoutKey = w.Count - w.Authenticated;
        var otherwise = withoutKey - rejected.Count - w.ServedUnauthenticated;
        var rejectedText = rejected.P99 is { } rp99
            ? $"{rejected.Count} answered 401 without a valid key (missing, unknown, wrong or revoked key; p99 {Ms(rp99)})"
            : "0 answered 401 without a valid key";
        var validText = valid.P99 is { } vp99
            ? $"{valid.Count} with a valid key (p99 {Ms(vp99)}; {w.UnauthorizedAuthenticated} of them refused 401 for the webhook signature or timestamp)"
            : "0 with a valid key";
        var otherText = otherwise > 0 ? $", {otherwise} without a valid key answered otherwise (not found, rate-limited, error)" : "";
        var forbiddenText = w.Forbidden > 0 ? $", {w.Forbidden} answered 403" : "";
        var evidence = string.Create(
            CultureInfo.InvariantCulture,
            $"{w.Count} partner API requests in the last {Window} min: {rejectedText}, {validText}{otherText}{forbiddenText}; {w.ServedUnauthenticated} served without a valid key; threshold: none served, key refused p99 < {KeyCheckThresholdMs} ms");
        var ok = w.ServedUnauthenticated == 0 && (rejected.P99 is not { } p99 || p99 < KeyCheckThresholdMs);
        return new("S1", title, measure, threshold, ok ? ScenarioStatus.Fulfilled : ScenarioStatus.NotFulfilled, evidence);
    }

    private static ScenarioCardDto I2(ScenarioInputs i)
    {
        var card = Latency(i, "I2", "I2 Webhooks", Partners, i.Requests.PartnerWebhookAcks, "webhook acknowledgements", "no webhook acknowledged",
            "webhook acknowledged (p99, 15 min); deliveries processed vs callbacks failed", 0.99, 100);
        if (card.Status == ScenarioStatus.NotBuilt || i.Partners is not { } p)
        {
            return card;
        }

        return card with { Evidence = $"{card.Evidence}; {p.WebhooksProcessed} webhook deliveries processed ({p.WebhooksFailed} failed), {p.CallbacksFailed} callbacks failed after every retry" };
    }

    private static ScenarioCardDto U2(ScenarioInputs i)
    {
        var card = Latency(i, "U2", "U2 Feed upload feedback", Partners, i.Requests.PartnerFeedUploads, "feed uploads answered", "no feed upload answered",
            "upload receipt acknowledged (p95, 15 min)", 0.95, 100);
        if (card.Status == ScenarioStatus.NotBuilt || i.Partners is not { } p)
        {
            return card;
        }

        var rate = p.RowsPerSecond is { } r ? r.ToString("0.#", CultureInfo.InvariantCulture) + " rows/s" : "no rate yet";
        return card with { Evidence = $"{card.Evidence}; feed jobs {p.JobsCompleted} completed, {p.JobsFailed} failed, {p.RowsIngested} rows ingested ({rate})" };
    }

    /// <summary>R1: every return in the Returns database was seen opening through its events (none lost); states from the database.</summary>
    private static ScenarioCardDto R1(ScenarioInputs i)
    {
        const string title = "R1 Workflow integrity";
        const string measure = "returns in the database = returns opened through events; returns by state";
        const string threshold = "none lost";
        if (!i.Modules.Contains(Returns))
        {
            return NotBuilt("R1", title, measure, threshold);
        }

        if (i.Returns is not { Overview: { } o } r)
        {
            return new("R1", title, measure, threshold, ScenarioStatus.NoData, "returns overview unavailable");
        }

        if (o.Total == 0 && r.Opened == 0)
        {
            return new("R1", title, measure, threshold, ScenarioStatus.NoData, "no returns yet");
        }

        var states = string.Join(", ", o.ByStatus.Where(s => s.Value > 0).Select(s => $"{s.Key} {s.Value}"));
        var backlog = i.Outbox.Where(m => string.Equals(m.Module, Returns, StringComparison.OrdinalIgnoreCase)).Sum(m => m.Backlog);
        return new("R1", title, measure, threshold, o.Total == r.Opened ? ScenarioStatus.Fulfilled : ScenarioStatus.NotFulfilled,
            $"{o.Total} returns in the database, {r.Opened} opened through events (returns outbox backlog {backlog}); by state: {states}");
    }

    /// <summary>R2: completed returns counted through events equal the database, and each has a disposition; refunds issued.</summary>
    private static ScenarioCardDto R2(ScenarioInputs i)
    {
        const string title = "R2 Dispositions";
        const string measure = "completed returns with a disposition; dashboard counts = database; refunds issued";
        const string threshold = "100%";
        if (!i.Modules.Contains(Returns))
        {
            return NotBuilt("R2", title, measure, threshold);
        }

        if (i.Returns is not { Overview: { } o } r)
        {
            return new("R2", title, measure, threshold, ScenarioStatus.NoData, "returns overview unavailable");
        }

        var completed = o.ByStatus.GetValueOrDefault("COMPLETED");
        var refunds = string.Create(CultureInfo.InvariantCulture, $"{r.RefundsIssued} refunds issued ({r.Refunded:0.00}), database {o.RefundedTotal:0.00}");
        if (completed == 0 && r.Completed == 0)
        {
            return new("R2", title, measure, threshold, ScenarioStatus.NoData, $"no completed returns yet; {refunds}");
        }

        var dispositions = string.Join(", ", o.CompletedByDisposition.Where(d => d.Value > 0).Select(d => $"{d.Key} {d.Value}"));
        var withDisposition = o.CompletedByDisposition.Sum(d => d.Value);
        var ok = r.Completed == completed && withDisposition >= completed && r.Refunded == o.RefundedTotal;
        return new("R2", title, measure, threshold, ok ? ScenarioStatus.Fulfilled : ScenarioStatus.NotFulfilled,
            $"{completed} completed in the database, {r.Completed} counted through events; dispositions: {(dispositions.Length > 0 ? dispositions : "none")}; {refunds}");
    }

    private static ScenarioCardDto O1(ScenarioInputs i)
    {
        var deadLetters = i.Outbox.Sum(o => o.DeadLetters);
        var backlog = i.Outbox.Sum(o => o.Backlog);
        var status = i.CountersInDatabase > 0 ? ScenarioStatus.Fulfilled : ScenarioStatus.NoData;
        return new("O1", "O1 Dashboard", "totals from the database; refresh every 5 s", "totals survive a restart; 5 s refresh", status,
            $"{i.CountersInDatabase} business counters in the database; outbox backlog {backlog}, dead letters {deadLetters}");
    }

    private static ScenarioCardDto O2(ScenarioInputs i)
    {
        var timed = i.Requests.Groups.Sum(g => g.Window(Window).Count);
        return new("O2", "O2 Request timing", "every request timed; p50/p95/p99 per group; recent logs", "all groups measured", timed > 0 ? ScenarioStatus.Fulfilled : ScenarioStatus.NoData,
            $"{timed} requests timed in the last {Window} min ({i.Requests.RequestsSinceStart} since start); {i.LogEntriesWritten} log entries captured");
    }

    private static ScenarioCardDto Latency(ScenarioInputs i, string id, string title, string module, string group, string measure, double quantile, double thresholdMs) =>
        Latency(i, id, title, module, i.Requests.Group(group), $"{group} requests", $"no {group} requests", measure, quantile, thresholdMs);

    /// <param name="counted">What the count names, e.g. "webhook acknowledgements".</param>
    /// <param name="none">The evidence without any in the window, e.g. "no webhook acknowledged".</param>
    private static ScenarioCardDto Latency(
        ScenarioInputs i, string id, string title, string module, EndpointGroupTimingDto series, string counted, string none, string measure, double quantile, double thresholdMs)
    {
        var threshold = $"< {thresholdMs.ToString(CultureInfo.InvariantCulture)} ms";
        if (!i.Modules.Contains(module))
        {
            return NotBuilt(id, title, measure, threshold);
        }

        var w = series.Window(Window);
        var value = quantile >= 0.99 ? w.P99 : w.P95;
        if (w.Count == 0 || value is not { } v)
        {
            return new(id, title, measure, threshold, ScenarioStatus.NoData, $"{none} in the last {Window} min");
        }

        var label = quantile >= 0.99 ? "p99" : "p95";
        return new(id, title, measure, threshold, v < thresholdMs ? ScenarioStatus.Fulfilled : ScenarioStatus.NotFulfilled,
            $"{w.Count} {counted}, {label} {Ms(v)}, threshold {thresholdMs.ToString(CultureInfo.InvariantCulture)} ms");
    }

    private static ScenarioCardDto NotBuilt(string id, string title, string measure, string threshold) =>
        new(id, title, measure, threshold, ScenarioStatus.NotBuilt, NotBuiltText);

    private static string Ms(double value) => value.ToString("0.##", CultureInfo.InvariantCulture) + " ms";
}
