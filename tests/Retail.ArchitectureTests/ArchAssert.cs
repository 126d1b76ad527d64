using System.Reflection;
using System.Runtime.CompilerServices;
using NetArchTest.Rules;

namespace Retail.ArchitectureTests;

internal static class ArchAssert
{
    /// <summary>Fails with the rule and every offending type NetArchTest reports.</summary>
    public static void Passes(ConditionList rule, string description)
    {
        var result = rule.GetResult();
        result.IsSuccessful.ShouldBeTrue(
            $"{description}. Offending types: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    /// <summary>For rules checked by reflection: fails naming each offender (type and, where useful, member).</summary>
    public static void NoOffenders(IEnumerable<string> offenders, string description)
    {
        var list = offenders.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        list.ShouldBeEmpty($"{description}. Offending types: {string.Join(", ", list)}");
    }

    /// <summary>Every type of the assembly the C# author wrote (no compiler-generated helpers, closures or state machines).</summary>
    public static IEnumerable<Type> WrittenTypes(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            throw new InvalidOperationException($"Could not load the types of {assembly.GetName().Name}: {string.Join("; ", e.LoaderExceptions.Select(x => x?.Message))}", e);
        }

        return types.Where(t => !IsCompilerGenerated(t));
    }

    public static IEnumerable<Type> WrittenTypes(IEnumerable<Assembly> assemblies) => assemblies.Distinct().SelectMany(WrittenTypes);

    private static bool IsCompilerGenerated(Type type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            if (t.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) || t.Name.StartsWith('<'))
            {
                return true;
            }
        }

        return false;
    }
}
