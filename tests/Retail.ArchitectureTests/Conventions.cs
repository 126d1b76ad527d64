using System.Reflection;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Domain;

namespace Retail.ArchitectureTests;

/// <summary>
/// The conventions NetArchTest cannot express (open generic interfaces, setters, records), as functions over types that
/// return the offenders. <see cref="ConventionSelfTests"/> proves each one catches a deliberately bad type.
/// </summary>
internal static class Conventions
{
    /// <summary>Every handler interface of the Mediator library (requests, commands, queries, streams, notifications).</summary>
    public static readonly IReadOnlyList<Type> MediatorHandlerInterfaces =
    [
        typeof(Mediator.IRequestHandler<,>),
        typeof(Mediator.IRequestHandler<>),
        typeof(Mediator.ICommandHandler<,>),
        typeof(Mediator.ICommandHandler<>),
        typeof(Mediator.IQueryHandler<,>),
        typeof(Mediator.IStreamRequestHandler<,>),
        typeof(Mediator.IStreamCommandHandler<,>),
        typeof(Mediator.IStreamQueryHandler<,>),
        typeof(Mediator.INotificationHandler<>),
    ];

    /// <summary>Our wrappers: the only way a module may implement a Mediator handler interface.</summary>
    public static readonly IReadOnlyList<Type> OurHandlerInterfaces =
    [
        typeof(Retail.BuildingBlocks.Application.Messaging.ICommandHandler<>),
        typeof(Retail.BuildingBlocks.Application.Messaging.ICommandHandler<,>),
        typeof(Retail.BuildingBlocks.Application.Messaging.IQueryHandler<,>),
    ];

    /// <summary>Our request interfaces: what every command and query implements instead of Mediator's.</summary>
    public static readonly IReadOnlyList<Type> OurRequestInterfaces =
    [
        typeof(Retail.BuildingBlocks.Application.Messaging.ICommand),
        typeof(Retail.BuildingBlocks.Application.Messaging.ICommand<>),
        typeof(Retail.BuildingBlocks.Application.Messaging.IQuery<>),
    ];

    public static readonly IReadOnlyList<Type> MediatorPipelineInterfaces =
    [
        typeof(Mediator.IPipelineBehavior<,>),
        typeof(Mediator.IStreamPipelineBehavior<,>),
    ];

    public static bool IsClosedFrom(Type candidate, IEnumerable<Type> openGenerics) =>
        candidate.IsGenericType && openGenerics.Contains(candidate.GetGenericTypeDefinition());

    public static bool IsHandler(Type type) =>
        type.IsClass && type.GetInterfaces().Any(i => IsClosedFrom(i, MediatorHandlerInterfaces) || IsClosedFrom(i, OurHandlerInterfaces));

    /// <summary>
    /// Each Mediator handler interface a type implements must come from one of our interfaces the type also implements,
    /// e.g. <c>Mediator.ICommandHandler&lt;X, Result&gt;</c> only through <c>ICommandHandler&lt;X&gt;</c>.
    /// </summary>
    public static IEnumerable<string> HandlersImplementingMediatorDirectly(IEnumerable<Type> types)
    {
        foreach (var type in types.Where(t => t.IsClass))
        {
            var interfaces = type.GetInterfaces();
            var ours = interfaces.Where(i => IsClosedFrom(i, OurHandlerInterfaces)).ToList();
            foreach (var mediatorInterface in interfaces.Where(i => IsClosedFrom(i, MediatorHandlerInterfaces)))
            {
                if (!ours.Any(o => o.GetInterfaces().Contains(mediatorInterface)))
                {
                    yield return $"{type.FullName} ({Describe(mediatorInterface)})";
                }
            }
        }
    }

    /// <summary>A concrete message the mediator can dispatch (command, query, request or notification).</summary>
    public static bool IsRequest(Type type) =>
        type is { IsInterface: false, IsAbstract: false } && typeof(Mediator.IMessage).IsAssignableFrom(type);

    public static IEnumerable<string> RequestsNotThroughOurInterfaces(IEnumerable<Type> types) =>
        types.Where(IsRequest)
            .Where(t => !t.GetInterfaces().Any(i => OurRequestInterfaces.Contains(i) || IsClosedFrom(i, OurRequestInterfaces)))
            .Select(t => t.FullName!);

    public static IEnumerable<string> HandlersNotSealed(IEnumerable<Type> types) =>
        types.Where(t => IsHandler(t) && !t.IsSealed).Select(t => t.FullName!);

    public static IEnumerable<string> PipelineBehaviorImplementations(IEnumerable<Type> types) =>
        types.Where(t => t.GetInterfaces().Any(i => IsClosedFrom(i, MediatorPipelineInterfaces))).Select(t => t.FullName!);

    public static bool IsEntity(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Entity<>))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Entities change only through their methods: no public setter (set or init) and no public writable field.</summary>
    public static IEnumerable<string> EntitiesWithPublicSetters(IEnumerable<Type> types)
    {
        const BindingFlags Members = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static;
        foreach (var type in types.Where(IsEntity))
        {
            foreach (var property in type.GetProperties(Members).Where(p => p.GetSetMethod(nonPublic: false) is not null))
            {
                yield return $"{type.FullName}.{property.Name}";
            }

            foreach (var field in type.GetFields(Members).Where(f => !f.IsInitOnly && !f.IsLiteral))
            {
                yield return $"{type.FullName}.{field.Name}";
            }
        }
    }

    public static bool IsIntegrationEvent(Type type) =>
        typeof(IIntegrationEvent).IsAssignableFrom(type) && type is { IsClass: true, IsAbstract: false };

    /// <summary>A C# record has the compiler's <c>&lt;Clone&gt;$</c> method.</summary>
    public static bool IsRecord(Type type) =>
        type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance) is not null;

    public static string? EventNameOf(Type type) =>
        type.GetCustomAttribute<IntegrationEventNameAttribute>(inherit: false)?.Name;

    public static IEnumerable<string> MalformedIntegrationEvents(IEnumerable<Type> types)
    {
        foreach (var type in types.Where(IsIntegrationEvent))
        {
            if (!type.IsSealed)
            {
                yield return $"{type.FullName} (not sealed)";
            }

            if (!IsRecord(type))
            {
                yield return $"{type.FullName} (not a record)";
            }

            if (string.IsNullOrWhiteSpace(EventNameOf(type)))
            {
                yield return $"{type.FullName} (no [IntegrationEventName])";
            }
        }
    }

    public static IEnumerable<string> DuplicateEventNames(IEnumerable<Type> types) =>
        types.Where(IsIntegrationEvent)
            .Where(t => EventNameOf(t) is not null)
            .GroupBy(t => EventNameOf(t)!, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"'{g.Key}' on {string.Join(" and ", g.Select(t => t.FullName))}");

    private static string Describe(Type type) =>
        type.IsGenericType
            ? $"{type.Namespace}.{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>"
            : type.Name;
}
