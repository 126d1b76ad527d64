using System.Reflection;
using System.Text.RegularExpressions;

namespace Retail.ArchitectureTests;

/// <summary>
/// The csproj references, as compiled into each assembly's metadata (<see cref="Assembly.GetReferencedAssemblies"/>):
/// a second, independent proof of the layer rules next to the type-level NetArchTest rules.
/// </summary>
public sealed partial class AssemblyReferenceTests
{
    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Domain_references_only_the_BCL_and_the_building_block_domain(string module)
    {
        var m = ModuleTable.Get(module);

        AssertReferences(m, Layer.Domain, allowed: ["Retail.BuildingBlocks.Domain"], frameworkOnly: true);
    }

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void IntegrationEvents_reference_only_the_BCL_and_the_building_block_contracts(string module)
    {
        var m = ModuleTable.Get(module);

        // ADR 0004: public requests (ICommand/IQuery) may live here, so BuildingBlocks.Application and Mediator's abstractions too.
        AssertReferences(m, Layer.IntegrationEvents, allowed: ["Retail.BuildingBlocks.Contracts", "Retail.BuildingBlocks.Application", "Mediator"], frameworkOnly: true);
    }

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Application_references_its_domain_its_events_other_modules_events_and_building_blocks(string module)
    {
        var m = ModuleTable.Get(module);

        AssertReferences(
            m,
            Layer.Application,
            allowed: [m.NameOf(Layer.Domain), m.NameOf(Layer.IntegrationEvents), "Retail.BuildingBlocks.Application", "Retail.BuildingBlocks.Domain", "Retail.BuildingBlocks.Contracts"],
            frameworkOnly: false);
        ReferencedNames(m.AssemblyOf(Layer.Application)).ShouldContain(m.NameOf(Layer.Domain));
    }

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Infrastructure_references_its_own_module_other_modules_events_and_building_blocks(string module)
    {
        var m = ModuleTable.Get(module);

        AssertReferences(
            m,
            Layer.Infrastructure,
            allowed: [.. ModuleMarkers.Layers.Select(m.NameOf), .. BuildingBlocks.All.Select(a => a.GetName().Name!)],
            frameworkOnly: false);
        ReferencedNames(m.AssemblyOf(Layer.Infrastructure)).ShouldContain(m.NameOf(Layer.Application));
    }

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Host_composes_the_module_through_its_Infrastructure(string module)
    {
        var m = ModuleTable.Get(module);

        ReferencedNames(BuildingBlocks.Host).ShouldContain(
            m.NameOf(Layer.Infrastructure),
            $"Retail.Host must reference {m.NameOf(Layer.Infrastructure)} (Add{m.Name}Module in Program.cs)");
    }

    /// <param name="allowed">The Retail.* (and other) assemblies the layer may reference, besides other modules' IntegrationEvents where allowed.</param>
    /// <param name="frameworkOnly">When set, nothing but the BCL and <paramref name="allowed"/> (no other packages).</param>
    private static void AssertReferences(ModuleMarkers m, Layer layer, IReadOnlyCollection<string> allowed, bool frameworkOnly)
    {
        var references = ReferencedNames(m.AssemblyOf(layer));
        var mayUseOtherModulesEvents = layer is Layer.Application or Layer.Infrastructure;

        var offending = references.Where(r =>
        {
            if (allowed.Contains(r))
            {
                return false;
            }

            if (r.StartsWith("Retail.", StringComparison.Ordinal))
            {
                return !(mayUseOtherModulesEvents && OtherModuleEvents().Match(r) is { Success: true } match && match.Groups["module"].Value != m.Name);
            }

            // Domain and IntegrationEvents: no packages at all (no Microsoft.EntityFrameworkCore*, ASP.NET Core, Mediator...).
            return frameworkOnly && !IsBcl(r);
        }).ToList();

        offending.ShouldBeEmpty(
            $"{m.NameOf(layer)} references assemblies its layer may not: {string.Join(", ", offending)} (all references: {string.Join(", ", references)})");
    }

    private static bool IsBcl(string name) =>
        name is "netstandard" or "mscorlib" || name.StartsWith("System", StringComparison.Ordinal) || name.StartsWith("Microsoft.Win32", StringComparison.Ordinal);

    internal static IReadOnlyList<string> ReferencedNames(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name!)];

    [GeneratedRegex(@"^Retail\.Modules\.(?<module>[^.]+)\.IntegrationEvents$")]
    private static partial Regex OtherModuleEvents();
}
