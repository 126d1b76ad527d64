using Mediator;
using Retail.BuildingBlocks.Infrastructure;
using Retail.BuildingBlocks.Infrastructure.Features;
using Retail.BuildingBlocks.Infrastructure.Observability;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Host.Web;
using Retail.Modules.Catalog.Application;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Catalog.Infrastructure;
using Retail.Modules.Catalog.Infrastructure.Endpoints;
using Retail.Modules.FlashSales.Application;
using Retail.Modules.FlashSales.Infrastructure;
using Retail.Modules.FlashSales.Infrastructure.Endpoints;
using Retail.Modules.FlashSales.IntegrationEvents;
using Retail.Modules.Identity.Application;
using Retail.Modules.Identity.Infrastructure;
using Retail.Modules.Monitoring.Application;
using Retail.Modules.Monitoring.Infrastructure;
using Retail.Modules.Monitoring.Infrastructure.Endpoints;
using Retail.Modules.Monitoring.IntegrationEvents;
using Retail.Modules.Ordering.Application;
using Retail.Modules.Ordering.Infrastructure;
using Retail.Modules.Ordering.Infrastructure.Endpoints;
using Retail.Modules.Payments.Application;
using Retail.Modules.Payments.Infrastructure;
using Retail.Modules.Payments.Infrastructure.Endpoints;
using Retail.Modules.Payments.IntegrationEvents;
using Retail.Modules.Returns.Application;
using Retail.Modules.Returns.Infrastructure;
using Retail.Modules.Returns.Infrastructure.Endpoints;
using Retail.Modules.Returns.IntegrationEvents;
using Retail.Modules.Partners.Application;
using Retail.Modules.Partners.Infrastructure;
using Retail.Modules.Partners.Infrastructure.Endpoints;

// `--migrate` applies every module's migrations and exits (docker-compose runs it before the app serves).
var migrateOnly = args.Contains("--migrate", StringComparer.Ordinal);
args = [.. args.Where(a => a != "--migrate")];

// The data folder (SQLite file, feed files, mail pickup) is under the content root by default, and the default builder
// watches the content root, subfolders included, for changes to appsettings*.json: every database write became a
// file-system event for the app to sift (8 % of the CPU of a large feed ingest, docs/benchmarks.md). Polling the settings
// files (every 4 s) keeps reload-on-change without it. An operator's own DOTNET_USE_POLLING_FILE_WATCHER wins.
const string pollSettingsFiles = "DOTNET_USE_POLLING_FILE_WATCHER";
if (Environment.GetEnvironmentVariable(pollSettingsFiles) is null)
{
    Environment.SetEnvironmentVariable(pollSettingsFiles, "true");
}

var builder = WebApplication.CreateBuilder(args);
builder.AddRetailObservability();
ThreadPoolTuning.Apply(builder.Configuration);
builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = RequestLimits.DefaultMaxBodyBytes);

builder.Services.AddRetailPlatform(builder.Configuration);
builder.Services.AddIdentityModule(builder.Configuration);
builder.Services.AddCatalogModule(builder.Configuration);
builder.Services.AddPaymentsModule(builder.Configuration);
builder.Services.AddMonitoringModule(builder.Configuration);
builder.Services.AddOrderingModule(builder.Configuration);
builder.Services.AddFlashSalesModule(builder.Configuration);
builder.Services.AddReturnsModule(builder.Configuration);
builder.Services.AddPartnersModule(builder.Configuration);

// The source generator reads this call at compile time: behaviors and assemblies must be listed literally here.
builder.Services.AddMediator(options =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.Assemblies = [typeof(CatalogModule), typeof(IdentityModule), typeof(PaymentsModule), typeof(ChargePayment), typeof(OrderingModule), typeof(ReserveStock), typeof(MonitoringModule), typeof(GetBusinessTotals), typeof(FlashSalesModule), typeof(ClaimFlashAllocation), typeof(ReturnsModule), typeof(GetReturnsOverview), typeof(PartnersModule), typeof(Retail.Modules.Partners.IntegrationEvents.GetIngestActivity), typeof(Retail.Modules.Identity.IntegrationEvents.CreatePartnerUser)];
    options.PipelineBehaviors =
    [
        typeof(Retail.BuildingBlocks.Application.Behaviors.LoggingBehavior<,>),
        typeof(Retail.BuildingBlocks.Application.Behaviors.AuthorizationBehavior<,>),
        typeof(Retail.BuildingBlocks.Application.Behaviors.ValidationBehavior<,>),
        typeof(Retail.BuildingBlocks.Application.Behaviors.UnitOfWorkBehavior<,>),
        typeof(Retail.BuildingBlocks.Application.Behaviors.SlowRequestBehavior<,>),
    ];
});

builder.Services.AddRetailWeb();

var app = builder.Build();

if (migrateOnly)
{
    await app.Services.MigrateModuleDatabasesAsync();
    app.Logger.LogInformation("Migrations applied; exiting (--migrate)");
    return;
}

await app.PrepareDatabaseAsync();

app.UseMonitoringRequestTiming();
app.UseRetailWeb();
app.MapRetailObservability();
app.MapIdentityEndpoints();
app.MapCatalogEndpoints();
app.MapPaymentsEndpoints();
app.MapMonitoringEndpoints();
app.MapOrderingEndpoints();
app.MapFlashSalesEndpoints();
app.MapFeatureToggleEndpoints();
app.MapReturnsEndpoints();
app.MapPartnersEndpoints();
app.MapRetailPagesAndTools();

await app.RunAsync();

/// <summary>Entry point type, public so functional tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
