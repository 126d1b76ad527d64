using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.FlashSales.IntegrationEvents;
using Retail.Modules.Monitoring.Application.Abstractions;
using Retail.Modules.Monitoring.Application.Flash;
using Retail.Modules.Monitoring.Application.Logs;
using Retail.Modules.Monitoring.Application.Logs.GetRecentLogs;
using Retail.Modules.Monitoring.Application.Scenarios;
using Retail.Modules.Monitoring.Application.Timing;
using Retail.Modules.Monitoring.Domain.Totals;
using Retail.Modules.Payments.IntegrationEvents;
using Retail.Modules.Partners.IntegrationEvents;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Monitoring.Application.Dashboard.GetDashboard;

/// <summary>Everything the operations dashboard shows: business totals and today, live figures, scenario cards, recent logs.</summary>
[AuthorizeRoles(Roles.Admin)]
public sealed record GetDashboardQuery(string? LogLevel = null, string? LogSearch = null) : IQuery<DashboardDto>;

public sealed record DashboardDto(
    DateTimeOffset GeneratedAt,
    BusinessFiguresDto Business,
    IReadOnlyList<CounterDto> Counters,
    PaymentsOverviewDto? Payments,
    RequestTimingSnapshot Requests,
    IReadOnlyList<ModuleOutboxDto> Outbox,
    IReadOnlyList<ScenarioCardDto> Scenarios,
    IReadOnlyList<RecentLogEntryDto> Logs,
    FlashSalesOverviewDto? FlashSales,
    FlashListingRatesDto FlashListing,
    ReturnsFiguresDto Returns,
    PartnersFiguresDto Partners);

/// <summary>Returns: totals kept from Returns' events (opened, ended, refunds) and the live stages and team queues from <see cref="GetReturnsOverview"/>.</summary>
public sealed record ReturnsFiguresDto(
    long Opened,
    long OpenedToday,
    long Completed,
    long Rejected,
    long Cancelled,
    long RefundsIssued,
    long RefundsIssuedToday,
    decimal Refunded,
    decimal RefundedToday,
    ReturnsOverviewDto? Overview);

/// <summary>
/// Partners: feed jobs and webhooks from Partners' events. <see cref="RowsPerSecond"/> is rows ÷ duration over every
/// completed (not validate-only) job. Running jobs come from Partners' GetIngestActivity query at each refresh.
/// </summary>
public sealed record PartnersFiguresDto(
    long JobsCompleted,
    long JobsFailed,
    long JobsCancelled,
    long RowsIngested,
    long RowsRejected,
    double? RowsPerSecond,
    long WebhooksProcessed,
    long WebhooksProcessedToday,
    long WebhooksFailed,
    long CallbacksFailed,
    string JobsRunning)
{
    public const string RunningNotAvailable = "not available (the Partners query failed; see the logs)";
}

/// <summary>One business counter: since the start, and today (UTC).</summary>
public sealed record CounterDto(string Name, long Total, long Today);

/// <summary>The headline figures. Orders and revenue come from succeeded payments until the Ordering module publishes its own.</summary>
public sealed record BusinessFiguresDto(
    long Orders,
    long OrdersToday,
    decimal Revenue,
    decimal RevenueToday,
    long PaymentsDeclined,
    long PaymentsDeclinedToday,
    long Refunds,
    long RefundsToday,
    decimal Refunded,
    decimal RefundedToday,
    long StoreCreditIssued,
    decimal StoreCreditAmount,
    long CustomersRegistered,
    long CustomersRegisteredToday,
    long ProductsUpserted,
    long StockChanges);

public sealed class GetDashboardQueryValidator : AbstractValidator<GetDashboardQuery>
{
    public GetDashboardQueryValidator()
    {
        RuleFor(q => q.LogLevel).Must(l => RecentLogLevels.TryParse(l, out _))
            .WithMessage("Level must be one of Trace, Debug, Information, Warning, Error, Critical.");
        RuleFor(q => q.LogSearch).MaximumLength(200);
    }
}

public sealed class GetDashboardQueryHandler(
    IMonitoringDbContext db,
    RequestTimingRecorder requests,
    RecentLogBuffer logs,
    IOutboxStatus outbox,
    IRequestSender sender,
    FlashListingMeter flashListing,
    TimeProvider time,
    ILogger<GetDashboardQueryHandler> logger) : IQueryHandler<GetDashboardQuery, DashboardDto>
{
    public const int LogRows = 100;

    public async ValueTask<Result<DashboardDto>> Handle(GetDashboardQuery query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var totals = await db.BusinessTotals.AsNoTracking().ToDictionaryAsync(t => t.Name, t => t.Value, cancellationToken);
        var todays = await db.DailyTotals.AsNoTracking().Where(t => t.Day == today).ToDictionaryAsync(t => t.Name, t => t.Value, cancellationToken);
        var counters = BusinessCounters.All.Concat(totals.Keys).Distinct(StringComparer.Ordinal)
            .Select(n => new CounterDto(n, totals.GetValueOrDefault(n), todays.GetValueOrDefault(n)))
            .ToList();

        long Total(string name) => totals.GetValueOrDefault(name);
        long Today(string name) => todays.GetValueOrDefault(name);
        var business = new BusinessFiguresDto(
            // Orders and revenue are paid orders (Ordering's OrderPaid events), not payment attempts.
            Total(BusinessCounters.OrdersPaid),
            Today(BusinessCounters.OrdersPaid),
            BusinessCounters.FromCents(Total(BusinessCounters.OrdersRevenue)),
            BusinessCounters.FromCents(Today(BusinessCounters.OrdersRevenue)),
            Total(BusinessCounters.PaymentsFailed),
            Today(BusinessCounters.PaymentsFailed),
            Total(BusinessCounters.RefundsIssued),
            Today(BusinessCounters.RefundsIssued),
            BusinessCounters.FromCents(Total(BusinessCounters.RefundsIssuedAmount)),
            BusinessCounters.FromCents(Today(BusinessCounters.RefundsIssuedAmount)),
            Total(BusinessCounters.StoreCreditIssued),
            BusinessCounters.FromCents(Total(BusinessCounters.StoreCreditIssuedAmount)),
            Total(BusinessCounters.CustomersRegistered),
            Today(BusinessCounters.CustomersRegistered),
            Total(BusinessCounters.ProductsUpserted),
            Total(BusinessCounters.StockChanges));

        var payments = await sender.Send(new GetPaymentsOverview(), cancellationToken);
        if (!payments.IsSuccess)
        {
            logger.LogWarning("Payments overview unavailable for the dashboard: {Code}", payments.Error.Code);
        }

        var flash = await sender.Send(new GetFlashSalesOverview(), cancellationToken);
        if (!flash.IsSuccess)
        {
            logger.LogWarning("Flash sales overview unavailable for the dashboard: {Code}", flash.Error.Code);
        }

        var returnsOverview = await sender.Send(new GetReturnsOverview(), cancellationToken);
        if (!returnsOverview.IsSuccess)
        {
            logger.LogWarning("Returns overview unavailable for the dashboard: {Code}", returnsOverview.Error.Code);
        }

        var returns = new ReturnsFiguresDto(
            Total(BusinessCounters.ReturnsOpened),
            Today(BusinessCounters.ReturnsOpened),
            Total(BusinessCounters.ReturnsCompleted),
            Total(BusinessCounters.ReturnsRejected),
            Total(BusinessCounters.ReturnsCancelled),
            Total(BusinessCounters.ReturnRefundsIssued),
            Today(BusinessCounters.ReturnRefundsIssued),
            BusinessCounters.FromCents(Total(BusinessCounters.ReturnRefundsAmount)),
            BusinessCounters.FromCents(Today(BusinessCounters.ReturnRefundsAmount)),
            returnsOverview.IsSuccess ? returnsOverview.Value : null);
        var ingest = await sender.Send(new GetIngestActivity(), cancellationToken);
        var ingestMs = Total(BusinessCounters.IngestDurationMs);
        var rows = Total(BusinessCounters.IngestRows);
        var partners = new PartnersFiguresDto(
            Total(BusinessCounters.IngestJobsCompleted),
            Total(BusinessCounters.IngestJobsFailed),
            Total(BusinessCounters.IngestJobsCancelled),
            rows,
            Total(BusinessCounters.IngestRowsRejected),
            ingestMs > 0 ? Math.Round(rows * 1000d / ingestMs, 1) : null,
            Total(BusinessCounters.WebhooksProcessed),
            Today(BusinessCounters.WebhooksProcessed),
            Total(BusinessCounters.WebhooksFailed),
            Total(BusinessCounters.CallbacksFailed),
            ingest.IsSuccess
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ingest.Value.Running} (awaiting confirmation {ingest.Value.AwaitingConfirmation})")
                : PartnersFiguresDto.RunningNotAvailable);

        var listing = flashListing.Read();
        var snapshot = requests.Snapshot();
        var modules = await outbox.GetAsync(cancellationToken);
        RecentLogLevels.TryParse(query.LogLevel, out var level);
        var cards = ScenarioCards.Evaluate(new ScenarioInputs(
            snapshot,
            payments.IsSuccess ? payments.Value : null,
            modules,
            modules.Select(m => m.Module).ToHashSet(StringComparer.OrdinalIgnoreCase),
            totals.Count,
            logs.Written,
            listing,
            returns,
            partners));
        return new DashboardDto(
            now,
            business,
            counters,
            payments.IsSuccess ? payments.Value : null,
            snapshot,
            modules,
            cards,
            logs.Query(level, query.LogSearch, LogRows),
            flash.IsSuccess ? flash.Value : null,
            listing,
            returns,
            partners);
    }
}
