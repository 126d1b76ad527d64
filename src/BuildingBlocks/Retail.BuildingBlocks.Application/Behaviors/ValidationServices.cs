using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Retail.BuildingBlocks.Application.Behaviors;

/// <summary>
/// The request's services inside a validator. Validators are singletons (a validator builds its rules in its constructor,
/// too costly to repeat per request), so a rule that needs a scoped service - the mediator, to ask another module - takes
/// it from the validation context that <see cref="ValidationBehavior{TMessage, TResponse}"/> gives it.
/// </summary>
public static class ValidationServices
{
    private const string Key = "Retail.RequestServices";

    /// <summary>Makes <paramref name="services"/> (the request's scope) available to the rules run with this context.</summary>
    public static ValidationContext<T> WithRequestServices<T>(this ValidationContext<T> context, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.RootContextData[Key] = services;
        return context;
    }

    /// <summary>A service of the request being validated.</summary>
    public static TService GetRequiredRequestService<TService>(this IValidationContext context)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RootContextData.TryGetValue(Key, out var value) && value is IServiceProvider services
            ? services.GetRequiredService<TService>()
            : throw new InvalidOperationException("This validator needs the request's services: run it through the mediator (ValidationBehavior).");
    }
}
