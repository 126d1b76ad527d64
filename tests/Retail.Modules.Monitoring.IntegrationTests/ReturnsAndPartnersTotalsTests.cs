using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retail.Modules.Monitoring.Domain.Totals;
using Retail.Modules.Monitoring.Infrastructure.Partners;
using Retail.Modules.Partners.IntegrationEvents;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Monitoring.IntegrationTests;

/// <summary>Totals kept from Returns' and Partners' integration events: what the events said, once per event, exported on the meter.</summary>
public sealed class ReturnsAndPartnersTotalsTests : IAsyncLifetime
{
    private readonly MonitoringFixture _app = new();

    private DateTimeOffset Now => _app.Time.GetUtcNow();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    private ReturnStatusChanged Moved(Guid returnId, string? from, string to, string? disposition = null) =>
        new(Guid.NewGuid(), Now, returnId, "RMA-1", Guid.NewGuid(), "customer-1", from, to, disposition);

    private ReturnRefundIssued Refund(decimal amount) =>
        new(Guid.NewGuid(), Now, Guid.NewGuid(), "RMA-1", Guid.NewGuid(), "customer-1", amount, "USD");

    private FeedJobFinished Job(string status, int rows, double seconds, bool validateOnly = false, int rejected = 0) =>
        new(Guid.NewGuid(), Now, Guid.NewGuid(), Guid.NewGuid(), status, validateOnly, rows, rows - rejected, 0, 0, rejected, 0, seconds);

    private WebhookProcessed Webhook(string outcome) =>
        new(Guid.NewGuid(), Now, Guid.NewGuid(), Guid.NewGuid().ToString("N"), "EL-0001", outcome, 0.01);

    [Fact]
    public async Task Returns_opened_ended_and_refunds_are_counted_from_the_events()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var c = Guid.NewGuid();
        var delivered = await _app.DeliverAsync(
            Moved(a, null, "SUBMITTED"), Moved(a, "SUBMITTED", "APPROVED"), Moved(a, "APPROVED", "COMPLETED", "REFUND"),
            Moved(b, null, "SUBMITTED"), Moved(b, "SUBMITTED", "REJECTED", "REJECT"),
            Moved(c, null, "SUBMITTED"), Moved(c, "SUBMITTED", "CANCELLED"),
            Refund(19.99m), Refund(5m));

        delivered.ShouldBe(9);
        var totals = await _app.TotalsAsync();
        totals[BusinessCounters.ReturnsOpened].ShouldBe(3);
        totals[BusinessCounters.ReturnsCompleted].ShouldBe(1);
        totals[BusinessCounters.ReturnsRejected].ShouldBe(1);
        totals[BusinessCounters.ReturnsCancelled].ShouldBe(1);
        totals[BusinessCounters.ReturnRefundsIssued].ShouldBe(2);
        totals[BusinessCounters.ReturnRefundsAmount].ShouldBe(2499);
    }

    [Fact]
    public async Task Feed_jobs_and_webhooks_are_counted_from_the_events()
    {
        await _app.DeliverAsync(
            Job("Completed", 1000, 2.0),
            Job("CompletedWithErrors", 500, 1.0, rejected: 20),
            Job("Completed", 700, 1.0, validateOnly: true),
            Job("Failed", 0, 0.5),
            Job("Cancelled", 0, 0.1),
            Webhook("Applied"), Webhook("IgnoredOutOfOrder"), Webhook("Failed"),
            new WebhookCallbackFailed(Guid.NewGuid(), Now, Guid.NewGuid(), "d-1", 5, "timeout"));

        var totals = await _app.TotalsAsync();
        totals[BusinessCounters.IngestJobsCompleted].ShouldBe(3, "validate-only runs that completed are completed jobs");
        totals[BusinessCounters.IngestJobsFailed].ShouldBe(1);
        totals[BusinessCounters.IngestJobsCancelled].ShouldBe(1);
        totals[BusinessCounters.IngestRows].ShouldBe(1500, "validate-only rows write nothing to the catalog");
        totals[BusinessCounters.IngestRowsRejected].ShouldBe(20);
        totals[BusinessCounters.IngestDurationMs].ShouldBe(3000);
        totals[BusinessCounters.WebhooksProcessed].ShouldBe(3);
        totals[BusinessCounters.WebhooksFailed].ShouldBe(1);
        totals[BusinessCounters.CallbacksFailed].ShouldBe(1);
    }

    [Fact]
    public async Task A_feed_job_with_a_status_monitoring_does_not_know_is_counted_nowhere_and_logged_as_a_warning()
    {
        var unknown = Job("Paused", 300, 1.0);

        await _app.DeliverAsync(Job("Cancelled", 0, 0.1), unknown);

        var totals = await _app.TotalsAsync();
        totals[BusinessCounters.IngestJobsCancelled].ShouldBe(1, "only the job that was cancelled");
        totals.ShouldNotContainKey(BusinessCounters.IngestJobsCompleted);
        totals.ShouldNotContainKey(BusinessCounters.IngestJobsFailed);
        totals.ShouldNotContainKey(BusinessCounters.IngestRows);
        _app.Log.Entries.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains(unknown.JobId.ToString(), StringComparison.Ordinal) && e.Message.Contains("'Paused'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_of_webhooks_counts_as_its_deliveries_and_a_redelivery_counts_nothing()
    {
        await _app.DeliverAsync(
            new WebhooksProcessed(Guid.NewGuid(), Now, Guid.NewGuid(), Applied: 40, IgnoredOutOfOrder: 7, Failed: 3, MaxLatencySeconds: 0.2),
            new WebhooksProcessed(Guid.NewGuid(), Now, Guid.NewGuid(), Applied: 5, IgnoredOutOfOrder: 0, Failed: 0, MaxLatencySeconds: 0.1),
            Webhook("Applied")); // one written before the upgrade, still counted

        var redelivered = await _app.RedeliverEverythingAsync();

        redelivered.ShouldBe(3);
        var totals = await _app.TotalsAsync();
        totals[BusinessCounters.WebhooksProcessed].ShouldBe(56);
        totals[BusinessCounters.WebhooksFailed].ShouldBe(3);
        (await _app.DayAsync(DateOnly.FromDateTime(Now.UtcDateTime)))[BusinessCounters.WebhooksProcessed].ShouldBe(56);
    }

    [Fact]
    public async Task A_duplicate_delivery_of_returns_and_partners_events_does_not_count_twice()
    {
        await _app.DeliverAsync(
            Moved(Guid.NewGuid(), null, "SUBMITTED"), Refund(10m), Job("Completed", 250, 0.5), Job("Failed", 0, 0.2),
            Webhook("Applied"), new WebhookCallbackFailed(Guid.NewGuid(), Now, Guid.NewGuid(), "d-2", 5, "refused"));

        var redelivered = await _app.RedeliverEverythingAsync();

        redelivered.ShouldBe(6, "the relay delivered every row again; the inbox must make the handler skip them");
        var totals = await _app.TotalsAsync();
        totals[BusinessCounters.ReturnsOpened].ShouldBe(1);
        totals[BusinessCounters.ReturnRefundsIssued].ShouldBe(1);
        totals[BusinessCounters.ReturnRefundsAmount].ShouldBe(1000);
        totals[BusinessCounters.IngestJobsCompleted].ShouldBe(1);
        totals[BusinessCounters.IngestJobsFailed].ShouldBe(1);
        totals[BusinessCounters.IngestRows].ShouldBe(250);
        totals[BusinessCounters.WebhooksProcessed].ShouldBe(1);
        totals[BusinessCounters.CallbacksFailed].ShouldBe(1);
        (await _app.DayAsync(DateOnly.FromDateTime(Now.UtcDateTime)))[BusinessCounters.IngestRows].ShouldBe(250);
    }

    [Fact]
    public async Task Ingest_counters_on_the_meter_read_the_totals_and_survive_a_restart()
    {
        await _app.DeliverAsync(Job("Completed", 1200, 3.0), Job("Failed", 0, 1.0), Webhook("Applied"), Webhook("Failed"));
        await _app.RestartAsync();

        var measured = Observe();

        measured["retail.partners.ingest.rows"].ShouldBe(1200);
        measured["retail.partners.ingest.jobs|completed"].ShouldBe(1);
        measured["retail.partners.ingest.jobs|failed"].ShouldBe(1);
        measured["retail.partners.ingest.jobs|cancelled"].ShouldBe(0);
        measured["retail.partners.webhooks.processed"].ShouldBe(2);
        measured["retail.partners.webhooks.failed"].ShouldBe(1);
        measured["retail.partners.callbacks.failed"].ShouldBe(0);
    }

    private Dictionary<string, long> Observe()
    {
        var factory = _app.Services.GetRequiredService<IMeterFactory>();
        _app.Services.GetRequiredService<IngestMetrics>();
        var measured = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name.StartsWith("retail.partners.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var status = tags.ToArray().FirstOrDefault(t => t.Key == "status").Value as string;
            measured[status is null ? instrument.Name : instrument.Name + "|" + status] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }
}
