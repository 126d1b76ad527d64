using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Retail.BuildingBlocks.Application.Features;
using Retail.BuildingBlocks.Infrastructure.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Retail.BuildingBlocks.Infrastructure;
using Retail.BuildingBlocks.Infrastructure.Jobs;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Partners.Application;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Feeds;
using Retail.Modules.Partners.Application.Feeds.Parsing;
using Retail.Modules.Partners.Application.Feeds.Pipeline;
using Retail.Modules.Partners.Application.Keys;
using Retail.Modules.Partners.Application.Retention;
using Retail.Modules.Partners.Application.Schedules;
using Retail.Modules.Partners.Application.Webhooks;
using Retail.Modules.Partners.Infrastructure.Auth;
using Retail.Modules.Partners.Infrastructure.Feeds;
using Retail.Modules.Partners.Infrastructure.Jobs;
using Retail.Modules.Partners.Infrastructure.Outbound;
using Retail.Modules.Partners.Infrastructure.Persistence;
using Retail.Modules.Partners.Infrastructure.Schedules;
using Retail.Modules.Partners.Infrastructure.Webhooks;
using Retail.Modules.Partners.IntegrationEvents;

namespace Retail.Modules.Partners.Infrastructure;

public static class PartnersModuleExtensions
{
    /// <summary>
    /// Registers the Partners module: its database, the <c>X-Api-Key</c> authentication scheme, the feed adapters and
    /// pipeline, background feed jobs (Hangfire) with the restart sweep, the stock webhook worker and the callback
    /// client with its retry pipeline. Configuration: section <c>Partners</c> (<see cref="PartnersOptions"/>).
    /// </summary>
    public static IServiceCollection AddPartnersModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDatabase<PartnersDbContext, PartnersSqliteDbContext, PartnersSqlServerDbContext>(configuration, PartnersModule.Name);
        services.AddFeatureToggle<PartnersDbContext>(Features.PartnerIngest, "Partner feed imports");
        services.AddScoped<IPartnersDbContext>(sp => sp.GetRequiredService<PartnersDbContext>());
        services.AddGroupCommit<IPartnersDbContext, PartnersDbContext>();
        services.AddModuleValidators(typeof(PartnersModule));
        services.AddCheckedOptions<PartnersOptions, PartnersOptionsValidator>(configuration.GetSection("Partners"));

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { });
        services.AddScoped<ApiKeyAuthenticator>();
        services.AddScoped<AuthenticatedPartner>();

        services.AddFeedAdapter<CsvFeedAdapter>();
        services.AddFeedAdapter<GoogleMerchantTsvFeedAdapter>();
        services.AddFeedAdapter<JsonFeedAdapter>();
        services.AddFeedAdapter<XmlFeedAdapter>();
        services.AddSingleton<FeedAdapterRegistry>();
        services.AddSingleton<IFeedStorage, FileFeedStorage>();
        services.TryAddSingleton<IFeedJobObserver, NoFeedJobObserver>();
        services.AddScoped<FeedIngestProcessor>();
        services.AddScoped<FeedSubmissions>();
        services.AddScoped<FeedJobRunner>();
        services.AddSingleton<IFeedJobQueue, HangfireFeedJobQueue>();
        services.AddDedicatedJobQueue(configuration, FeedJobRunner.Queue, defaultWorkers: 1);
        services.AddHostedService<UnfinishedFeedJobsSweep>();
        services.AddIntegrationEventHandler<FeedJobFinished, SendFeedReportEmailHandler>();

        services.AddScoped<ScheduledFeedRunner>();
        services.AddScoped<ScheduledFeedJob>();
        services.AddScoped<IFeedScheduler, HangfireFeedScheduler>();
        // Both outbound clients connect through PublicAddressConnector: no redirects, and the address checked is the one dialled.
        services.AddSingleton<IHostAddressResolver, DnsHostAddressResolver>();
        services.AddSingleton<PublicAddressConnector>();
        services.AddHttpClient<IFeedFetcher, HttpFeedFetcher>(c => c.Timeout = TimeSpan.FromMinutes(5))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<PublicAddressConnector>().CreateHandler());
        services.AddHostedService<FeedScheduleRegistration>();

        services.AddDataProtection();
        services.AddSingleton<IWebhookSecretProtector, DataProtectionWebhookSecretProtector>();
        services.AddScoped<WebhookSecrets>();
        services.AddHostedService<LegacyWebhookSecretsReprotection>();
        services.AddScoped<StockWebhookReceiver>();
        services.AddScoped<StockWebhookProcessor>();
        services.AddSingleton<WebhookWorker>();
        services.AddSingleton<IWebhookWorkQueue>(sp => sp.GetRequiredService<WebhookWorker>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookWorker>());
        HttpCallbackClient.AddPipeline(services);
        services.AddHttpClient<ICallbackClient, HttpCallbackClient>(c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<PublicAddressConnector>().CreateHandler());
        services.AddScoped<PartnerRecordsRetention>();
        services.AddScoped<PartnerRecordsRetentionJob>();
        services.AddHostedService<PartnersRecurringJobs>();
        return services;
    }

    /// <summary>
    /// Adds a feed format (SPEC M1): the registry picks it by its extensions and content types. Nothing else changes.
    /// </summary>
    public static IServiceCollection AddFeedAdapter<TAdapter>(this IServiceCollection services)
        where TAdapter : class, IFeedAdapter
    {
        services.AddSingleton<IFeedAdapter, TAdapter>();
        return services;
    }
}
