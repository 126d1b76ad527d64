using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Identity.IntegrationEvents;
using Retail.Modules.Monitoring.Application.Abstractions;
using Retail.Modules.Monitoring.Domain.Totals;
using Retail.Modules.Ordering.IntegrationEvents;
using Retail.Modules.Partners.IntegrationEvents;
using Retail.Modules.Payments.IntegrationEvents;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Monitoring.Application.Totals;

/// <summary>
/// Keeps the business totals (since the start and per UTC day of the event) from other modules' integration events.
/// Runs inside the subscriber transaction together with the inbox row, so a repeated delivery changes nothing; each
/// increment is one atomic <c>UPDATE … SET Value = Value + @n</c>, so concurrent deliveries never lose a count.
/// </summary>
public sealed partial class RecordBusinessTotalsHandler(IMonitoringDbContext db, TimeProvider time, ILogger<RecordBusinessTotalsHandler> logger) :
    IIntegrationEventHandler<PaymentSucceeded>,
    IIntegrationEventHandler<PaymentFailed>,
    IIntegrationEventHandler<RefundIssued>,
    IIntegrationEventHandler<StoreCreditIssued>,
    IIntegrationEventHandler<CustomerRegistered>,
    IIntegrationEventHandler<ProductUpserted>,
    IIntegrationEventHandler<StockChanged>,
    IIntegrationEventHandler<ProductBatchChanged>,
    IIntegrationEventHandler<OrderPlaced>,
    IIntegrationEventHandler<OrderPaid>,
    IIntegrationEventHandler<OrderCancelled>,
    IIntegrationEventHandler<ReturnStatusChanged>,
    IIntegrationEventHandler<ReturnRefundIssued>,
    IIntegrationEventHandler<FeedJobFinished>,
    IIntegrationEventHandler<WebhookProcessed>,
    IIntegrationEventHandler<WebhooksProcessed>,
    IIntegrationEventHandler<WebhookCallbackFailed>
{
    /// <summary>Submission (no previous stage) opens a return; COMPLETED, REJECTED and CANCELLED end it.</summary>
    public Task Handle(ReturnStatusChanged integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        string? counter = integrationEvent.From is null ? BusinessCounters.ReturnsOpened : integrationEvent.To.ToUpperInvariant() switch
        {
            "COMPLETED" => BusinessCounters.ReturnsCompleted,
            "REJECTED" => BusinessCounters.ReturnsRejected,
            "CANCELLED" => BusinessCounters.ReturnsCancelled,
            _ => null,
        };
        return counter is null ? Task.CompletedTask : AddAsync(integrationEvent.OccurredAt, cancellationToken, (counter, 1));
    }

    public Task Handle(ReturnRefundIssued integrationEvent, CancellationToken cancellationToken) =>
        AddAsync(integrationEvent.OccurredAt, cancellationToken,
            (BusinessCounters.ReturnRefundsIssued, 1),
            (BusinessCounters.ReturnRefundsAmount, BusinessCounters.ToCents(integrationEvent.Amount)));

    /// <summary>
    /// Completed (with or without rejected rows), Failed and Cancelled jobs are counted apart; rows and duration only for
    /// jobs that wrote to the catalog (not validate-only runs) and completed, so rows ÷ duration is the ingest rate. A
    /// status Monitoring does not know (Partners added one) is counted nowhere and logged: it used to fall through to
    /// "cancelled", so the dashboard reported cancellations nobody made.
    /// </summary>
    public Task Handle(FeedJobFinished integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var completed = integrationEvent.Status is "Completed" or "CompletedWithErrors";
        if (completed && !integrationEvent.ValidateOnly)
        {
            return AddAsync(integrationEvent.OccurredAt, cancellationToken,
                (BusinessCounters.IngestJobsCompleted, 1),
                (BusinessCounters.IngestRows, integrationEvent.Rows),
                (BusinessCounters.IngestRowsRejected, integrationEvent.Rejected),
                (BusinessCounters.IngestDurationMs, (long)Math.Round(Math.Max(0, integrationEvent.DurationSeconds) * 1000)));
        }

        string? counter = completed ? BusinessCounters.IngestJobsCompleted : integrationEvent.Status switch
        {
            "Failed" => BusinessCounters.IngestJobsFailed,
            "Cancelled" => BusinessCounters.IngestJobsCancelled,
            _ => null,
        };
        if (counter is null)
        {
            LogUnknownFeedJobStatus(integrationEvent.JobId, integrationEvent.Status);
            return Task.CompletedTask;
        }

        return AddAsync(integrationEvent.OccurredAt, cancellationToken, (counter, 1));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed job {JobId} finished with status '{Status}', which the ingest totals do not know; it is counted in none of them")]
    private partial void LogUnknownFeedJobStatus(Guid jobId, string status);

    public Task Handle(WebhookProcessed integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        return string.Equals(integrationEvent.Outcome, "Failed", StringComparison.OrdinalIgnoreCase)
            ? AddAsync(integrationEvent.OccurredAt, cancellationToken, (BusinessCounters.WebhooksProcessed, 1), (BusinessCounters.WebhooksFailed, 1))
            : AddAsync(integrationEvent.OccurredAt, cancellationToken, (BusinessCounters.WebhooksProcessed, 1));
    }

    /// <summary>A batch counts as its deliveries one by one would.</summary>
    public Task Handle(WebhooksProcessed integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        return integrationEvent.Failed > 0
            ? AddAsync(integrationEvent.OccurredAt, cancellationToken, (BusinessCounters.WebhooksProcessed, integrationEvent.Processed), (BusinessCounters.WebhooksFailed, integrationEvent.Failed))
            : AddAsync(integrationEvent.OccurredAt, cancellationToken, (BusinessCounters.WebhooksProcessed, integrationEvent.Processed));
    }

    public Task Handle(WebhookCallbackFailed integrationEvent, CancellationToken cancellationToken) =>
        AddAsync(integrationEvent.OccurredAt, cancellationToken, (BusinessCounters.CallbacksFailed, 1));

    public Task Handle(OrderPlaced integrationEvent, CancellationToken cancellationToken) =>
        AddAsync(integrationEvent.OccurredAt, cancellationToken, (BusinessCounters.OrdersPlaced, 1));

    public Task Handle(OrderPaid integrationEvent, CancellationToken cancellationToken) =>
        AddAsync(integrationEvent.OccurredAt, cancellationToken,
            (BusinessCounters.OrdersPaid, 1),
            (BusinessCounters.OrdersRevenue, BusinessCounters.ToCents(integrationEvent.Total)));

    public Task Handle(OrderCancelled integrationEvent, CancellationToken cancellationToken) =>
        AddAsync(integrationEvent.OccurredAt, cancellationToken, (BusinessCounters.OrdersCancelled, 1));

    public Task Handle(PaymentSucceeded integrationEvent, CancellationToken cancellationToken) =>
        AddAsync(integrationEvent.OccurredAt, cancellationToken,
            (BusinessCounters.PaymentsSucceeded, 1),
            (BusinessCounters.PaymentsSucceededAmount, BusinessCounters.ToCents(integrationEvent.Amount)));

    public Task Handle(PaymentFailed integrationEvent, CancellationToken cancellationToken) =>
        AddAsync(integrationEvent.OccurredAt, cancellationToken,
            (BusinessCounters.PaymentsFailed, 1),
            (BusinessCounters.PaymentsFailedAmount, BusinessCounters.ToCents(integrationEvent.Amount)));

    public Task Handle(RefundIssued integrationEvent, CancellationToken cancellationToken) =>
        AddAsync(integrationEvent.OccurredAt, cancellationToken,
            (BusinessCounters.RefundsIssued, 1),
            (BusinessCounters.RefundsIssuedAmount, BusinessCounters.ToCents(integrationEvent.Amount)));

    public Task Handle(StoreCreditIssued integrationEvent, CancellationToken cancellationToken) =>
        AddAsync(integrationEvent.OccurredAt, cancellationToken,
            (BusinessCounters.StoreCreditIssued, 1),
            (BusinessCounters.StoreCreditIssuedAmount, BusinessCounters.ToCents(integrationEvent.Amount)));

    public Task Handle(CustomerRegistered integrationEvent, CancellationToken cancellationToken) =>
        AddAsync(integrationEvent.OccurredAt, cancellationToken, (BusinessCounters.CustomersRegistered, 1));

    public Task Handle(ProductUpserted integrationEvent, CancellationToken cancellationToken) =>
        AddAsync(integrationEvent.OccurredAt, cancellationToken, (BusinessCounters.ProductsUpserted, 1));

    public Task Handle(StockChanged integrationEvent, CancellationToken cancellationToken) =>
        AddAsync(integrationEvent.OccurredAt, cancellationToken,
            (BusinessCounters.StockChanges, 1),
            integrationEvent.Delta >= 0 ? (BusinessCounters.StockUnitsIn, integrationEvent.Delta) : (BusinessCounters.StockUnitsOut, -(long)integrationEvent.Delta));

    /// <summary>A batch counts as its products and stock changes one by one would.</summary>
    public Task Handle(ProductBatchChanged integrationEvent, CancellationToken cancellationToken)
    {
        var unitsIn = integrationEvent.StockChanges.Where(c => c.Delta > 0).Sum(c => (long)c.Delta);
        var unitsOut = integrationEvent.StockChanges.Where(c => c.Delta < 0).Sum(c => -(long)c.Delta);
        (string, long)[] increments =
        [
            (BusinessCounters.ProductsUpserted, integrationEvent.Products.Count),
            (BusinessCounters.StockChanges, integrationEvent.StockChanges.Count),
            (BusinessCounters.StockUnitsIn, unitsIn),
            (BusinessCounters.StockUnitsOut, unitsOut),
        ];
        return AddAsync(integrationEvent.OccurredAt, cancellationToken, [.. increments.Where(i => i.Item2 != 0)]);
    }

    private async Task AddAsync(DateTimeOffset occurredAt, CancellationToken cancellationToken, params (string Name, long Delta)[] increments)
    {
        ArgumentNullException.ThrowIfNull(increments);
        var now = time.GetUtcNow();
        var day = DateOnly.FromDateTime(occurredAt.UtcDateTime);
        foreach (var (name, delta) in increments)
        {
            var updated = await db.BusinessTotals.Where(t => t.Name == name)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Value, t => t.Value + delta).SetProperty(t => t.UpdatedAt, now), cancellationToken);
            if (updated == 0)
            {
                db.BusinessTotals.Add(new BusinessTotal(name, delta, now));
            }

            var updatedDay = await db.DailyTotals.Where(t => t.Day == day && t.Name == name)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Value, t => t.Value + delta), cancellationToken);
            if (updatedDay == 0)
            {
                db.DailyTotals.Add(new DailyTotal(day, name, delta));
            }
        }
    }
}
