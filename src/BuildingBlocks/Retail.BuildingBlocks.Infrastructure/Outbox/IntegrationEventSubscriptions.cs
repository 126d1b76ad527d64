using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.Infrastructure.Outbox;

/// <summary>One explicit, typed subscription: event type → handler in a subscribing module.</summary>
public sealed record IntegrationEventSubscription(string EventName, Type EventType, Type HandlerType, string SubscriberModule)
{
    /// <summary>The inbox key of the handler; stable across renames of the CLR namespace is not needed, uniqueness is.</summary>
    public string HandlerName => HandlerType.FullName ?? HandlerType.Name;

    /// <summary>
    /// Runs the handler inside the subscriber's own transaction together with its inbox row, so the handler's effects
    /// and the "seen" marker commit or roll back together: a repeat delivery finds the row and does nothing.
    /// Returns false when the event had already been handled.
    /// </summary>
    internal async Task<bool> DeliverAsync(IServiceProvider rootServices, Guid eventId, IIntegrationEvent integrationEvent, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var scope = rootServices.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(SubscriberModule);
        var strategy = context.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await context.Database.BeginTransactionAsync(ct);
            var seen = await context.InboxMessages.AnyAsync(m => m.EventId == eventId && m.Handler == HandlerName, ct);
            if (seen)
            {
                return false;
            }

            await HandleAsync(scope.ServiceProvider, context, eventId, integrationEvent, time, ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>Runs the handler for one event and saves its effects with the event's inbox row (in the caller's transaction).</summary>
    internal async Task HandleAsync(IServiceProvider scopeServices, ModuleDbContext context, Guid eventId, IIntegrationEvent integrationEvent, TimeProvider time, CancellationToken cancellationToken)
    {
        var handler = scopeServices.GetRequiredService(HandlerType);
        await InvokeAsync(handler, integrationEvent, cancellationToken);
        context.InboxMessages.Add(new InboxMessage { EventId = eventId, Handler = HandlerName, Type = EventName, ProcessedAt = time.GetUtcNow() });
        await context.SaveChangesEndingTransactionAsync(cancellationToken);
    }

    /// <summary>The event an outbox row carries, read from its JSON payload.</summary>
    internal IIntegrationEvent Decode(string payload) =>
        (IIntegrationEvent)(JsonSerializer.Deserialize(payload, EventType, ModuleDbContext.EventJson)
            ?? throw new InvalidOperationException($"Outbox payload of {EventName} deserialized to null."));

    private Task InvokeAsync(object handler, IIntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        var handlerInterface = typeof(IIntegrationEventHandler<>).MakeGenericType(EventType);
        var method = handlerInterface.GetMethod(nameof(IIntegrationEventHandler<IIntegrationEvent>.Handle))!;
        // DoNotWrapExceptions: a handler that throws synchronously must leave its own exception in LastError and the log,
        // not "TargetInvocationException: Exception has been thrown by the target of an invocation."
        return (Task)method.Invoke(handler, BindingFlags.DoNotWrapExceptions, binder: null, [integrationEvent, cancellationToken], culture: null)!;
    }
}

/// <summary>All subscriptions of the application, looked up by event name when the relay delivers.</summary>
public sealed class IntegrationEventSubscriptions(IEnumerable<IntegrationEventSubscription> subscriptions)
{
    private readonly ILookup<string, IntegrationEventSubscription> _byEvent = subscriptions.ToLookup(s => s.EventName, StringComparer.Ordinal);

    public IEnumerable<IntegrationEventSubscription> For(string eventName) => _byEvent[eventName];
}

public static class IntegrationEventServiceCollectionExtensions
{
    /// <summary>
    /// Subscribes <typeparamref name="THandler"/> (in the calling module) to <typeparamref name="TEvent"/>. The handler's
    /// module comes from its assembly's <see cref="RetailModuleAttribute"/>, and its inbox lives in that module's context.
    /// </summary>
    public static IServiceCollection AddIntegrationEventHandler<TEvent, THandler>(this IServiceCollection services)
        where TEvent : IIntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new IntegrationEventSubscription(
            OutboxMessage.NameOf(typeof(TEvent)), typeof(TEvent), typeof(THandler), ModuleNames.Require(typeof(THandler))));
        return services;
    }
}
