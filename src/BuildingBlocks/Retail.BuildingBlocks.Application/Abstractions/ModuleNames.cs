using System.Collections.Concurrent;
using System.Reflection;
using Retail.BuildingBlocks.Contracts;

namespace Retail.BuildingBlocks.Application.Abstractions;

/// <summary>Finds the module a type belongs to from its assembly's <see cref="RetailModuleAttribute"/>.</summary>
public static class ModuleNames
{
    private static readonly ConcurrentDictionary<Assembly, string?> Cache = new();

    public static string? Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Cache.GetOrAdd(type.Assembly, a => a.GetCustomAttribute<RetailModuleAttribute>()?.Name);
    }

    public static string Require(Type type) =>
        Of(type) ?? throw new InvalidOperationException(
            $"{type.FullName} lives in {type.Assembly.GetName().Name}, which has no [assembly: RetailModule(...)] attribute.");
}
