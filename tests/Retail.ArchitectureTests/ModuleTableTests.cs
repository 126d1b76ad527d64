using System.Reflection;
using System.Text.RegularExpressions;

namespace Retail.ArchitectureTests;

/// <summary>
/// The meta-test: the rules are only as good as <see cref="ModuleTable"/>. Every module the Host can reach must be in it,
/// with all four layers, and everything it lists must be real and in the right assembly.
/// </summary>
public sealed partial class ModuleTableTests
{
    [Fact]
    public void Every_module_reachable_from_the_Host_is_in_the_table()
    {
        var reachable = ReachableModuleAssemblies();
        var tabled = ModuleTable.All.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);

        var missingModules = reachable
            .Where(a => !tabled.Contains(a.Module))
            .GroupBy(a => a.Module, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ({string.Join(", ", g.Select(a => a.AssemblyName))})")
            .ToList();

        missingModules.ShouldBeEmpty(
            $"Modules reachable from Retail.Host but missing from {nameof(ModuleTable)}.{nameof(ModuleTable.All)}: {string.Join("; ", missingModules)}. "
            + "Add one row with a public marker type from each of its Domain, Application, Infrastructure and IntegrationEvents assemblies.");
    }

    [Fact]
    public void Every_module_assembly_reachable_from_the_Host_is_a_known_layer()
    {
        var layers = ModuleMarkers.Layers.Select(l => l.ToString()).ToHashSet(StringComparer.Ordinal);

        var unknown = ReachableModuleAssemblies().Where(a => !layers.Contains(a.Layer)).Select(a => a.AssemblyName).ToList();

        unknown.ShouldBeEmpty(
            $"Module assemblies that are none of {string.Join("/", layers)} (the architecture rules would not cover them): {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Every_assembly_in_the_table_exists_is_reachable_from_the_Host_and_is_marked_by_the_right_type()
    {
        var reachable = ReachableModuleAssemblies().Select(a => a.AssemblyName).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();

        foreach (var module in ModuleTable.All)
        {
            foreach (var layer in ModuleMarkers.Layers)
            {
                var expected = module.NameOf(layer);
                var marker = module.MarkerOf(layer);
                var actual = marker.Assembly.GetName().Name;
                if (actual != expected)
                {
                    problems.Add($"{module.Name}.{layer}: marker {marker.FullName} lives in {actual}, not {expected}");
                }

                if (!marker.IsPublic)
                {
                    problems.Add($"{module.Name}.{layer}: marker {marker.FullName} is not a public type");
                }

                if (TryLoad(expected) is null)
                {
                    problems.Add($"{module.Name}.{layer}: there is no assembly {expected}");
                }
                else if (!reachable.Contains(expected))
                {
                    problems.Add($"{module.Name}.{layer}: {expected} is not reachable from Retail.Host");
                }
            }
        }

        problems.ShouldBeEmpty($"{nameof(ModuleTable)} lists assemblies that do not match the solution: {string.Join("; ", problems)}");
    }

    [Fact]
    public void Module_names_are_unique_and_none_is_a_prefix_of_another()
    {
        // NetArchTest matches namespace prefixes: "Retail.Modules.Order" would also match "Retail.Modules.Ordering".
        var names = ModuleTable.All.Select(m => m.Name).ToList();

        var clashes = names.SelectMany((a, i) => names.Where((b, j) => i != j && b.StartsWith(a, StringComparison.Ordinal)).Select(b => $"{a} / {b}")).ToList();

        clashes.ShouldBeEmpty($"Module names must be unique and no name a prefix of another: {string.Join(", ", clashes)}");
    }

    [Fact]
    public void The_discovery_walks_through_to_every_layer()
    {
        // The walk follows references Host → Infrastructure → Application → Domain/IntegrationEvents; if it stopped
        // early the meta-test above would be blind to new modules.
        var reachable = ReachableModuleAssemblies().Select(a => a.AssemblyName).ToList();

        reachable.ShouldContain("Retail.Modules.Catalog.Infrastructure");
        reachable.ShouldContain("Retail.Modules.Catalog.Application");
        reachable.ShouldContain("Retail.Modules.Catalog.Domain");
        reachable.ShouldContain("Retail.Modules.Identity.IntegrationEvents");
    }

    /// <summary>
    /// Walks the referenced assemblies from Retail.Host recursively, loading each Retail.* assembly by name. A layer the
    /// metadata does not mention (e.g. a Domain used only for its constants, which the compiler inlines) is probed by
    /// name for every module found, so it cannot hide from the table either.
    /// </summary>
    internal static IReadOnlyList<ModuleAssembly> ReachableModuleAssemblies()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>();

        void Visit(Assembly assembly)
        {
            if (seen.Add(assembly.GetName().Name!))
            {
                pending.Enqueue(assembly);
            }
        }

        Visit(typeof(Program).Assembly);
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is { } name && name.StartsWith("Retail.", StringComparison.Ordinal) && !seen.Contains(name))
                {
                    Visit(Assembly.Load(reference));
                }
            }

            if (ModuleAssemblyName().Match(assembly.GetName().Name!) is { Success: true } match)
            {
                foreach (var layer in ModuleMarkers.Layers)
                {
                    var sibling = $"Retail.Modules.{match.Groups["module"].Value}.{layer}";
                    if (!seen.Contains(sibling) && TryLoad(sibling) is { } loaded)
                    {
                        Visit(loaded);
                    }
                }
            }
        }

        return [.. seen
            .Select(n => ModuleAssemblyName().Match(n))
            .Where(m => m.Success)
            .Select(m => new ModuleAssembly(m.Value, m.Groups["module"].Value, m.Groups["layer"].Value))
            .OrderBy(a => a.AssemblyName, StringComparer.Ordinal)];
    }

    private static Assembly? TryLoad(string assemblyName)
    {
        try
        {
            return Assembly.Load(new AssemblyName(assemblyName));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^Retail\.Modules\.(?<module>[^.]+)\.(?<layer>.+)$")]
    private static partial Regex ModuleAssemblyName();

    internal sealed record ModuleAssembly(string AssemblyName, string Module, string Layer);
}
