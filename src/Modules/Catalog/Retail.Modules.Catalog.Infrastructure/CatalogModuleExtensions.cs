using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Infrastructure;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Catalog.Application;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Caching;
using Retail.Modules.Catalog.Application.Products.FindUnknownSkus;
using Retail.Modules.Catalog.Infrastructure.Persistence;
using Retail.Modules.Catalog.Infrastructure.Seeding;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Catalog.Application.Products.Returns;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Catalog.Infrastructure;

public static class CatalogModuleExtensions
{
    /// <summary>Registers the Catalog module: its database, validators, event subscriptions and demo seed.</summary>
    public static IServiceCollection AddCatalogModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDatabase<CatalogDbContext, CatalogSqliteDbContext, CatalogSqlServerDbContext>(configuration, CatalogModule.Name);
        services.AddScoped<ICatalogDbContext>(sp => sp.GetRequiredService<CatalogDbContext>());
        services.AddScoped<IPartnerBatchLedger, Products.PartnerBatchLedger>();
        services.AddSingleton<KnownSkus>();
        services.AddModuleValidators(typeof(CatalogModule));
        services.AddIntegrationEventHandler<ProductUpserted, InvalidateCatalogCacheHandler>();
        services.AddIntegrationEventHandler<ProductBatchChanged, InvalidateCatalogCacheHandler>();
        services.AddIntegrationEventHandler<StockChanged, InvalidateCatalogCacheHandler>();
        services.AddIntegrationEventHandler<ReturnRestockRequested, ReturnedStockHandler>();
        services.AddIntegrationEventHandler<ReplacementRequested, ReturnedStockHandler>();
        services.AddScoped<IModuleSeeder, CatalogSeeder>();
        return services;
    }
}
