using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Features;
using Retail.BuildingBlocks.Infrastructure;
using Retail.BuildingBlocks.Infrastructure.Features;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.FlashSales.Application;
using Retail.Modules.FlashSales.Application.Abstractions;
using Retail.Modules.FlashSales.Application.Checkout;
using Retail.Modules.FlashSales.Application.Events;
using Retail.Modules.FlashSales.Application.Listing;
using Retail.Modules.FlashSales.Infrastructure.Persistence;
using Retail.Modules.FlashSales.Infrastructure.Seeding;
using Retail.Modules.FlashSales.Infrastructure.Services;
using Retail.Modules.FlashSales.IntegrationEvents;
using Retail.Modules.Ordering.IntegrationEvents;

namespace Retail.Modules.FlashSales.Infrastructure;

public static class FlashSalesModuleExtensions
{
    /// <summary>
    /// Registers the FlashSales module: its database, the cached listing, the per customer + SKU limit, the run-time switch
    /// and its event subscriptions. Configuration: <c>FlashSales:{ListingRefresh,PerUserSkuPermitLimit,PerUserSkuWindow}</c>.
    /// </summary>
    public static IServiceCollection AddFlashSalesModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDatabase<FlashSalesDbContext, FlashSalesSqliteDbContext, FlashSalesSqlServerDbContext>(configuration, FlashSalesModule.Name);
        services.AddScoped<IFlashSalesDbContext>(sp => sp.GetRequiredService<FlashSalesDbContext>());
        services.AddScoped<IFlashSalesUnitOfWork, FlashSalesUnitOfWork>();
        services.AddModuleValidators(typeof(FlashSalesModule));
        services.AddCheckedOptions<FlashSalesOptions, FlashSalesOptionsValidator>(configuration.GetSection("FlashSales"));

        services.AddScoped<FlashListingCache>();
        services.AddSingleton<FlashListingStatistics>();
        services.AddSingleton<FlashCheckoutStatistics>();
        services.AddSingleton<FlashCheckoutMemo>();
        services.AddSingleton<LiveFlashItemReads>();
        services.AddScoped<IFlashRateLimiter, FlashRateLimiter>();
        services.AddFeatureToggle<FlashSalesDbContext>(Features.FlashSales, "Flash sales");

        services.AddIntegrationEventHandler<OrderPaid, FlashClaimLifecycleHandler>();
        services.AddIntegrationEventHandler<OrderCancelled, FlashClaimLifecycleHandler>();
        services.AddIntegrationEventHandler<ProductUpserted, FlashProductSnapshotHandler>();
        services.AddIntegrationEventHandler<ProductBatchChanged, FlashProductSnapshotHandler>();
        services.AddIntegrationEventHandler<FlashSaleChanged, InvalidateFlashListingHandler>();
        services.AddScoped<IModuleSeeder, FlashSalesSeeder>();
        return services;
    }
}
