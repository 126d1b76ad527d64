using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Behaviors;
using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.BuildingBlocks.Application;

public static class ApplicationServiceCollectionExtensions
{
    /// <summary>
    /// The behavior chain, outermost first. The Host passes it to <c>AddMediator(o =&gt; o.PipelineBehaviors = ...)</c>
    /// so the source generator wires it without reflection.
    /// </summary>
    public static readonly Type[] PipelineBehaviors =
    [
        typeof(LoggingBehavior<,>),
        typeof(AuthorizationBehavior<,>),
        typeof(ValidationBehavior<,>),
        typeof(UnitOfWorkBehavior<,>),
        typeof(SlowRequestBehavior<,>),
    ];

    /// <summary>Registers what the behaviors need besides Mediator itself.</summary>
    public static IServiceCollection AddRetailApplication(this IServiceCollection services)
    {
        services.AddOptions<SlowRequestOptions>();
        services.AddScoped<IRequestSender, MediatorRequestSender>();
        return services;
    }
}
