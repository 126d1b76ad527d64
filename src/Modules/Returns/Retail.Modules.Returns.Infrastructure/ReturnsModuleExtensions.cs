using Microsoft.Extensions.Configuration;
using Retail.BuildingBlocks.Application.Features;
using Retail.BuildingBlocks.Infrastructure.Features;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Infrastructure;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Ordering.IntegrationEvents;
using Retail.Modules.Returns.Application;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Application.Notifications;
using Retail.Modules.Returns.Application.Outcomes;
using Retail.Modules.Returns.Application.Purchases;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Infrastructure.Jobs;
using Retail.Modules.Returns.Infrastructure.Persistence;
using Retail.Modules.Returns.Infrastructure.Services;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Returns.Infrastructure;

public static class ReturnsModuleExtensions
{
    /// <summary>
    /// Registers the Returns module: its database, validators, the purchase read model (OrderPaid/OrderDelivered), the
    /// outcome processor and its <c>returns-outcomes</c> job, the replacement answer from Ordering, customer emails and the
    /// photo store. Configuration: section <c>Returns</c> (<see cref="ReturnsOptions"/>).
    /// </summary>
    public static IServiceCollection AddReturnsModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDatabase<ReturnsDbContext, ReturnsSqliteDbContext, ReturnsSqlServerDbContext>(configuration, ReturnsModule.Name);
        services.AddFeatureToggle<ReturnsDbContext>(Features.Returns, "Returns");
        services.AddScoped<IReturnsDbContext>(sp => sp.GetRequiredService<ReturnsDbContext>());
        services.AddScoped<IReturnsUnitOfWork, ReturnsUnitOfWork>();
        services.AddModuleValidators(typeof(ReturnsModule));
        services.AddCheckedOptions<ReturnsOptions, ReturnsOptionsValidator>(configuration.GetSection("Returns"));

        services.AddScoped<ReturnViewer>();
        services.AddSingleton<IReturnCodeRandom, CryptoReturnCodeRandom>();
        services.AddSingleton<IReturnPhotoStore, FileSystemReturnPhotoStore>();
        services.AddScoped<ReturnOutcomeProcessor>();
        services.AddScoped<ReturnOutcomesJob>();
        services.AddHostedService<ReturnsRecurringJobs>();

        services.AddIntegrationEventHandler<OrderPaid, RecordPurchasesHandler>();
        services.AddIntegrationEventHandler<OrderDelivered, RecordPurchasesHandler>();
        services.AddIntegrationEventHandler<ReplacementOrderCreated, ReplacementOrderCreatedHandler>();
        services.AddIntegrationEventHandler<ReturnStatusChanged, SendReturnEmailsHandler>();
        return services;
    }
}
