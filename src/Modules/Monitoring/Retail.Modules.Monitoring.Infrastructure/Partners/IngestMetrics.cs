using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Retail.Modules.Monitoring.Application;
using Retail.Modules.Monitoring.Domain.Totals;
using Retail.Modules.Monitoring.Infrastructure.Persistence;

namespace Retail.Modules.Monitoring.Infrastructure.Partners;

/// <summary>
/// Exports the ingest and webhook totals Monitoring keeps from Partners' integration events as observable counters
/// (meter <c>Retail.Monitoring</c>): <c>retail.partners.ingest.rows</c>, <c>retail.partners.ingest.jobs</c> (by
/// <c>status</c>), <c>retail.partners.webhooks.processed</c>, <c>retail.partners.webhooks.failed</c> (processed with outcome
/// Failed) and <c>retail.partners.callbacks.failed</c>. Each scrape reads
/// Monitoring's own table, so the values survive a restart and equal the dashboard.
/// </summary>
internal sealed class IngestMetrics
{
    private static readonly string[] Names =
    [
        BusinessCounters.IngestRows, BusinessCounters.IngestJobsCompleted, BusinessCounters.IngestJobsFailed,
        BusinessCounters.IngestJobsCancelled, BusinessCounters.WebhooksProcessed, BusinessCounters.WebhooksFailed,
        BusinessCounters.CallbacksFailed,
    ];

    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<IngestMetrics> _logger;

    public IngestMetrics(IMeterFactory meterFactory, IServiceScopeFactory scopes, ILogger<IngestMetrics> logger)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _scopes = scopes;
        _logger = logger;
        var meter = meterFactory.Create(MonitoringModule.MeterName);
        meter.CreateObservableCounter("retail.partners.ingest.rows", () => Measure(BusinessCounters.IngestRows),
            description: "Rows ingested by completed partner feed jobs (validate-only runs excluded)");
        meter.CreateObservableCounter("retail.partners.ingest.jobs", ReadJobs, description: "Partner feed jobs finished, by status");
        meter.CreateObservableCounter("retail.partners.webhooks.processed", () => Measure(BusinessCounters.WebhooksProcessed),
            description: "Partner stock webhook deliveries processed");
        meter.CreateObservableCounter("retail.partners.webhooks.failed", () => Measure(BusinessCounters.WebhooksFailed),
            description: "Partner stock webhook deliveries processed with outcome Failed");
        meter.CreateObservableCounter("retail.partners.callbacks.failed", () => Measure(BusinessCounters.CallbacksFailed),
            description: "Partner outcome callbacks that failed after every retry");
    }

    private IEnumerable<Measurement<long>> Measure(string name) => [new(Read().GetValueOrDefault(name))];

    private IEnumerable<Measurement<long>> ReadJobs()
    {
        var totals = Read();
        return
        [
            new(totals.GetValueOrDefault(BusinessCounters.IngestJobsCompleted), new KeyValuePair<string, object?>("status", "completed")),
            new(totals.GetValueOrDefault(BusinessCounters.IngestJobsFailed), new KeyValuePair<string, object?>("status", "failed")),
            new(totals.GetValueOrDefault(BusinessCounters.IngestJobsCancelled), new KeyValuePair<string, object?>("status", "cancelled")),
        ];
    }

    private Dictionary<string, long> Read()
    {
        try
        {
            using var scope = _scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<MonitoringDbContext>();
            return db.BusinessTotals.AsNoTracking().Where(t => Names.Contains(t.Name)).ToDictionary(t => t.Name, t => t.Value, StringComparer.Ordinal);
        }
#pragma warning disable CA1031 // A failed scrape of one instrument must not break the whole /metrics answer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogWarning(ex, "Ingest totals unavailable for /metrics");
            return new Dictionary<string, long>(StringComparer.Ordinal);
        }
    }
}

/// <summary>Creates the <see cref="IngestMetrics"/> singleton when the host starts, so its instruments are on <c>/metrics</c>.</summary>
internal sealed class IngestMetricsStarter(IngestMetrics metrics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(metrics);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
