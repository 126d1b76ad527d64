using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Behaviors;
using Retail.BuildingBlocks.Infrastructure.Email;
using Retail.BuildingBlocks.Infrastructure.Idempotency;
using Retail.BuildingBlocks.Infrastructure.Jobs;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.BuildingBlocks.Infrastructure.Redis;
using Retail.BuildingBlocks.Infrastructure.Web;

namespace Retail.BuildingBlocks.Infrastructure;

public static class RetailPlatformExtensions
{
    /// <summary>
    /// Everything modules stand on except Mediator itself (which the Host generates): time, current user, outbox relay
    /// and nudge, idempotency-record retention, jobs, Redis/caching with in-process fallbacks, email (SMTP or pickup folder), problem details.
    /// </summary>
    public static IServiceCollection AddRetailPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, HttpCurrentUser>();
        services.AddRetailApplication();
        services.AddCheckedOptions<HostingOptions, HostingOptionsValidator>(configuration.GetSection("Hosting"));
        services.AddCheckedOptions<OutboxOptions, OutboxOptionsValidator>(configuration.GetSection("Outbox"));
        services.AddSingleton<IntegrationEventSubscriptions>();
        services.AddSingleton<OutboxRelay>();
        services.AddSingleton<OutboxRetention>();
        services.AddCheckedOptions<IdempotencyOptions, IdempotencyOptionsValidator>(configuration.GetSection("Idempotency"));
        services.AddSingleton<IdempotencyRetention>();
        services.AddSingleton<OutboxNudgeService>();
        services.AddSingleton<IOutboxNudge>(sp => sp.GetRequiredService<OutboxNudgeService>());
        services.AddHostedService(sp => sp.GetRequiredService<OutboxNudgeService>());
        services.AddRetailJobs(configuration);
        services.AddRetailRedisAndCaching(configuration);
        services.AddRetailEmail(configuration);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Every problem body carries a stable code and the same trace id the error pages and logs show.
            var extensions = context.ProblemDetails.Extensions;
            extensions["traceId"] = ProblemResults.ReferenceId(context.HttpContext);
            if (!extensions.ContainsKey("code"))
            {
                extensions["code"] = ProblemResults.CodeOfStatus(context.ProblemDetails.Status);
            }
        });
        services.AddExceptionHandler<RetailExceptionHandler>();
        // Outside Development a minimal API answered a value it could not bind with a bare 400 and kept the reason in a
        // debug log; thrown, it reaches RetailExceptionHandler, which names the field (BindingFailures).
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>
    /// Registers a module's FluentValidation validators (explicitly per module assembly, no bin scanning) as singletons:
    /// a validator builds its rules - expression trees and rule objects - in its constructor, which per request took a
    /// quarter of the server's CPU in a wave of sold-out checkouts. A rule that needs a scoped service takes it from the
    /// validation context (<see cref="ValidationServices"/>); a validator that asked for one in its constructor would
    /// fail the container's scope validation.
    /// </summary>
    public static IServiceCollection AddModuleValidators(this IServiceCollection services, Type markerFromApplicationAssembly)
    {
        ArgumentNullException.ThrowIfNull(markerFromApplicationAssembly);
        services.AddValidatorsFromAssembly(markerFromApplicationAssembly.Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        return services;
    }
}
