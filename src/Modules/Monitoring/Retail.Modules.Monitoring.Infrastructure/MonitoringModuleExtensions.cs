using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Infrastructure;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Identity.IntegrationEvents;
using Retail.Modules.Monitoring.Application;
using Retail.Modules.Monitoring.Application.Abstractions;
using Retail.Modules.Monitoring.Application.Flash;
using Retail.Modules.Monitoring.Application.Logs;
using Retail.Modules.Monitoring.Application.Timing;
using Retail.Modules.Monitoring.Application.Totals;
using Retail.Modules.Monitoring.Infrastructure.Flash;
using Retail.Modules.Monitoring.Infrastructure.Logging;
using Retail.Modules.Monitoring.Infrastructure.Outbox;
using Retail.Modules.Monitoring.Infrastructure.Partners;
using Retail.Modules.Monitoring.Infrastructure.Persistence;
using Retail.Modules.Monitoring.Infrastructure.Timing;
using Retail.Modules.Ordering.IntegrationEvents;
using Retail.Modules.Partners.IntegrationEvents;
using Retail.Modules.Payments.IntegrationEvents;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Monitoring.Infrastructure;

public static class MonitoringModuleExtensions
{
    /// <summary>
    /// Registers the Monitoring module: its database (business totals kept by integration events), the in-process
    /// request timing recorder, the recent-logs logger provider (joins the host's logging) and the outbox statistics view.
    /// </summary>
    public static IServiceCollection AddMonitoringModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDatabase<MonitoringDbContext, MonitoringSqliteDbContext, MonitoringSqlServerDbContext>(configuration, MonitoringModule.Name);
        services.AddScoped<IMonitoringDbContext>(sp => sp.GetRequiredService<MonitoringDbContext>());
        services.AddModuleValidators(typeof(MonitoringModule));

        services.AddIntegrationEventHandler<PaymentSucceeded, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<PaymentFailed, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<RefundIssued, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<StoreCreditIssued, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<CustomerRegistered, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<ProductUpserted, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<ProductBatchChanged, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<StockChanged, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<OrderPlaced, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<OrderPaid, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<OrderCancelled, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<ReturnStatusChanged, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<ReturnRefundIssued, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<FeedJobFinished, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<WebhookProcessed, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<WebhooksProcessed, RecordBusinessTotalsHandler>();
        services.AddIntegrationEventHandler<WebhookCallbackFailed, RecordBusinessTotalsHandler>();

        services.AddMetrics();
        services.AddSingleton<RequestTimingRecorder>();
        services.AddSingleton<FlashListingMeter>();
        services.AddHostedService<FlashListingMeterStarter>();
        services.AddSingleton<IngestMetrics>();
        services.AddHostedService<IngestMetricsStarter>();
        services.AddSingleton<RecentLogBuffer>(_ => new RecentLogBuffer(RecentLogBuffer.DefaultCapacity));
        // An ILoggerProvider in the container joins the host's LoggerFactory like builder.Logging.AddProvider would.
        services.AddSingleton<ILoggerProvider, RecentLogsLoggerProvider>();
        services.AddScoped<IOutboxStatus, OutboxStatusAdapter>();
        return services;
    }

    /// <summary>Times every request; call first in the pipeline so error pages and rate-limited answers are timed too.</summary>
    public static IApplicationBuilder UseMonitoringRequestTiming(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestTimingMiddleware>();
}
