using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Modules.FlashSales.Application.Checkout;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Application.Orders.PlaceOrder;

namespace Retail.Host.FunctionalTests.Monitoring;

/// <summary>
/// The provisioned Grafana dashboard (<c>build/observability/grafana/dashboards/retail.json</c>) is valid JSON of the
/// expected shape, and every metric its panels query is one the app exports on <c>/metrics</c>: either scraped after some
/// traffic, or (counters appear after their first measurement) an instrument of a <c>Retail.*</c> meter whose Prometheus
/// name it is. The naming rule is checked against the scrape itself.
/// </summary>
[Collection(MetricsScrapeCollection.Name)]
public sealed partial class GrafanaDashboardTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    private static readonly HashSet<string> PromQlWords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
    };

    [Fact]
    public async Task Every_metric_the_Grafana_dashboard_queries_is_exported_by_the_app()
    {
        using var instruments = new RetailInstruments();
        // Services that create their instruments when first used (the first checkout, the first flash refusal): created
        // here as the first request would, so their instruments are published without driving a whole checkout.
        factory.Services.GetRequiredService<CheckoutMetrics>();
        factory.Services.GetRequiredService<ICheckoutGate>();
        factory.Services.GetRequiredService<FlashCheckoutStatistics>();
        using var anonymous = factory.AnonymousApi();
        (await anonymous.GetAsync("/api/partners/jobs")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "one 401 so the counter has a point");
        (await anonymous.GetAsync("/api/flash/products")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await CheckoutLoad.RegisterAsync(factory, "grafana"); // CustomerRegistered through the outbox: the relay's counters
        using var browser = factory.Browser();
        var scrape = await Eventually.WaitForAsync(
            async () => PrometheusText.Parse(await browser.GetStringAsync("/metrics")),
            m => m.Named("retail_outbox_delivered_total").Any() && m.Named("retail_http_unauthorized_total").Any(),
            "the outbox and 401 counters on /metrics");
        var scraped = scrape.Samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        var published = instruments.PrometheusNames();
        foreach (var name in scraped.Where(n => n.StartsWith("retail_", StringComparison.Ordinal)))
        {
            published.ShouldContain(name, "the naming rule below must give every scraped Retail.* sample name");
        }

        var queried = DashboardQueries().SelectMany(MetricNames).ToHashSet(StringComparer.Ordinal);
        queried.ShouldContain("retail_http_unauthorized_total");
        queried.ShouldContain("retail_partners_ingest_rows_total");
        queried.ShouldContain("retail_partners_ingest_jobs_total");
        queried.ShouldContain("retail_partners_webhooks_failed_total");
        queried.ShouldContain("retail_partners_callbacks_failed_total");
        queried.Where(n => !scraped.Contains(n) && !published.Contains(n)).ShouldBeEmpty("metrics the dashboard queries but the app does not export");

        // Exported from the start or after the traffic above: on the scrape itself.
        foreach (var name in new[] { "retail_http_unauthorized_total", "retail_partners_ingest_rows_total", "retail_partners_ingest_jobs_total", "retail_partners_webhooks_failed_total", "retail_monitoring_request_duration_seconds_bucket", "retail_outbox_delivered_total" })
        {
            scraped.ShouldContain(name);
        }
    }

    [Fact]
    public void The_dashboard_has_unique_panels_on_the_prometheus_datasource_with_real_threshold_steps()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DashboardPath()));
        var panels = document.RootElement.GetProperty("panels").EnumerateArray().ToList();
        panels.Select(p => p.GetProperty("id").GetInt32()).ShouldBeUnique();
        panels.Select(p => p.GetProperty("title").GetString()).ShouldContain("401 / 403 answers by endpoint group (per second)");
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            panel.GetProperty("datasource").GetProperty("uid").GetString().ShouldBe("prometheus", title);
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            targets.ShouldNotBeEmpty(title);
            targets.Select(t => t.GetProperty("refId").GetString()).ShouldBeUnique(title);
            var position = panel.GetProperty("gridPos");
            (position.GetProperty("x").GetInt32() + position.GetProperty("w").GetInt32()).ShouldBeLessThanOrEqualTo(24, title);
            if (panel.GetProperty("fieldConfig").GetProperty("defaults").TryGetProperty("thresholds", out var thresholds))
            {
                thresholds.GetProperty("steps").ValueKind.ShouldBe(JsonValueKind.Array, title);
            }
        }
    }

    [Fact]
    public void Metric_names_are_read_from_PromQL_without_functions_labels_or_ranges()
    {
        MetricNames("100 * sum by (group, le) (rate(a_total{outcome=~\"accepted_.*\"}[5m])) / max(b_seconds_bucket offset 5m) + c").ShouldBe(["a_total", "b_seconds_bucket", "c"]);
        MetricNames("histogram_quantile(0.99, sum by (group, le) (rate(x_bucket[5m])))").ShouldBe(["x_bucket"]);
    }

    private static IEnumerable<string> DashboardQueries()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DashboardPath()));
        return document.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
    }

    /// <summary>The metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations.</summary>
    private static IReadOnlyList<string> MetricNames(string expr)
    {
        var stripped = LabelMatchers().Replace(expr, " ");
        stripped = Grouping().Replace(stripped, " ");
        stripped = Ranges().Replace(stripped, " ");
        stripped = OffsetDuration().Replace(stripped, " offset ");
        return [.. Identifiers().Matches(stripped)
            .Where(m => !m.Groups["call"].Success && !PromQlWords.Contains(m.Groups["name"].Value))
            .Select(m => m.Groups["name"].Value)
            .Distinct(StringComparer.Ordinal)];
    }

    private static string DashboardPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Retail.sln")))
            {
                return Path.Combine(dir.FullName, "build", "observability", "grafana", "dashboards", "retail.json");
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains Retail.sln.");
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\boffset\s+\S+")]
    private static partial Regex OffsetDuration();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifiers();

    /// <summary>
    /// Every instrument of a <c>Retail.*</c> meter in this process, under the name the OpenTelemetry Prometheus exporter
    /// gives it: dots become underscores, the unit "s" adds <c>_seconds</c> (unless already there), counters add
    /// <c>_total</c>, histograms are exported as <c>_bucket</c>, <c>_count</c> and <c>_sum</c>.
    /// </summary>
    private sealed class RetailInstruments : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<Instrument> _instruments = [];
        private readonly Lock _lock = new();

        public RetailInstruments()
        {
            _listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name.StartsWith("Retail.", StringComparison.Ordinal))
                {
                    lock (_lock)
                    {
                        _instruments.Add(instrument);
                    }
                }
            };
            _listener.Start();
        }

        public HashSet<string> PrometheusNames()
        {
            lock (_lock)
            {
                return _instruments.SelectMany(Names).ToHashSet(StringComparer.Ordinal);
            }
        }

        private static IEnumerable<string> Names(Instrument instrument)
        {
            var name = instrument.Name.Replace('.', '_');
            name = instrument.Unit switch
            {
                null or "" => name,
                "s" => name.EndsWith("_seconds", StringComparison.Ordinal) ? name : name + "_seconds",
                _ => throw new InvalidOperationException($"Add the Prometheus suffix of unit '{instrument.Unit}' ({instrument.Name})."),
            };
            var kind = instrument.GetType().GetGenericTypeDefinition();
            if (kind == typeof(Counter<>) || kind == typeof(ObservableCounter<>))
            {
                return [name + "_total"];
            }

            return kind == typeof(Histogram<>) ? [name + "_bucket", name + "_count", name + "_sum"] : [name];
        }

        public void Dispose() => _listener.Dispose();
    }
}
