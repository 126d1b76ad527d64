using NetArchTest.Rules;

namespace Retail.ArchitectureTests;

/// <summary>The reference rules of ARCHITECTURE.md, proved on the compiled code with NetArchTest (namespace prefixes).</summary>
public sealed class LayerDependencyTests
{
    /// <summary>The base class library; every layer may use it.</summary>
    private const string System = "System";

    private const string BuildingBlocksContracts = "Retail.BuildingBlocks.Contracts";
    private const string BuildingBlocksDomain = "Retail.BuildingBlocks.Domain";
    private const string BuildingBlocksApplication = "Retail.BuildingBlocks.Application";
    private const string BuildingBlocksInfrastructure = "Retail.BuildingBlocks.Infrastructure";

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Domain_depends_on_nothing_but_the_building_block_domain(string module)
    {
        var m = ModuleTable.Get(module);

        ArchAssert.Passes(
            Types.InAssembly(m.AssemblyOf(Layer.Domain)).Should()
                .OnlyHaveDependenciesOn(System, BuildingBlocksDomain, m.NameOf(Layer.Domain)),
            $"{m.NameOf(Layer.Domain)} may depend only on the BCL and {BuildingBlocksDomain} (no Application, Infrastructure, EF Core, ASP.NET Core or other modules)");

        // The same, stated as the things people actually reach for, so the message is obvious when it breaks.
        ArchAssert.Passes(
            Types.InAssembly(m.AssemblyOf(Layer.Domain)).ShouldNot().HaveDependencyOnAny(
                [m.NameOf(Layer.Application), m.NameOf(Layer.Infrastructure), m.NameOf(Layer.IntegrationEvents),
                 BuildingBlocksApplication, BuildingBlocksInfrastructure, BuildingBlocksContracts,
                 "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Mediator", "FluentValidation", .. m.OtherModulesInternals]),
            $"{m.NameOf(Layer.Domain)} must not depend on outer layers, frameworks or other modules");
    }

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Application_depends_neither_on_its_infrastructure_nor_on_other_modules_internals(string module)
    {
        var m = ModuleTable.Get(module);

        ArchAssert.Passes(
            Types.InAssembly(m.AssemblyOf(Layer.Application)).ShouldNot().HaveDependencyOnAny(
                [m.NameOf(Layer.Infrastructure), BuildingBlocksInfrastructure, .. m.OtherModulesInternals]),
            $"{m.NameOf(Layer.Application)} must not depend on {m.NameOf(Layer.Infrastructure)}, {BuildingBlocksInfrastructure} "
            + "or another module's Domain/Application/Infrastructure (other modules' IntegrationEvents are allowed)");
    }

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Infrastructure_does_not_depend_on_other_modules_internals(string module)
    {
        var m = ModuleTable.Get(module);
        if (m.OtherModulesInternals.Length == 0)
        {
            return;
        }

        ArchAssert.Passes(
            Types.InAssembly(m.AssemblyOf(Layer.Infrastructure)).ShouldNot().HaveDependencyOnAny(m.OtherModulesInternals),
            $"{m.NameOf(Layer.Infrastructure)} must not depend on another module's Domain/Application/Infrastructure");
    }

    /// <remarks>
    /// ADR 0004: besides events, the IntegrationEvents assembly (the module's published language) holds the public
    /// requests other modules may send, which implement our ICommand/IQuery; so BuildingBlocks.Application (and Mediator,
    /// which those interfaces extend) are allowed too. Nothing of any module's internals, no EF Core, no ASP.NET Core.
    /// </remarks>
    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void IntegrationEvents_depend_only_on_the_building_block_contracts(string module)
    {
        var m = ModuleTable.Get(module);

        ArchAssert.Passes(
            Types.InAssembly(m.AssemblyOf(Layer.IntegrationEvents)).Should()
                .OnlyHaveDependenciesOn(System, BuildingBlocksContracts, BuildingBlocksApplication, "Mediator", m.NameOf(Layer.IntegrationEvents)),
            $"{m.NameOf(Layer.IntegrationEvents)} may depend only on the BCL, {BuildingBlocksContracts} and (for public requests, ADR 0004) {BuildingBlocksApplication}");

        ArchAssert.Passes(
            Types.InAssembly(m.AssemblyOf(Layer.IntegrationEvents)).ShouldNot().HaveDependencyOnAny(
                [.. m.InternalNamespaces, .. m.OtherModulesInternals, BuildingBlocksDomain, BuildingBlocksInfrastructure, "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore"]),
            $"{m.NameOf(Layer.IntegrationEvents)} is what other modules reference: it must not expose any module's Domain/Application/Infrastructure or a framework");
    }

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void No_layer_of_a_module_depends_on_another_modules_internals(string module)
    {
        var m = ModuleTable.Get(module);
        if (m.OtherModulesInternals.Length == 0)
        {
            return;
        }

        ArchAssert.Passes(
            Types.InAssemblies(m.Assemblies).ShouldNot().HaveDependencyOnAny(m.OtherModulesInternals),
            $"Module {m.Name} must reach other modules only through their IntegrationEvents, never {string.Join(", ", m.OtherModulesInternals)}");
    }

    [Fact]
    public void The_dependency_rules_do_see_cross_layer_dependencies()
    {
        // Guards against the rules passing vacuously (e.g. a namespace typo): dependencies that must exist are found.
        var catalog = ModuleTable.Get("Catalog");
        Types.InAssembly(catalog.AssemblyOf(Layer.Application)).That().HaveDependencyOn(catalog.NameOf(Layer.Domain))
            .GetTypes().ShouldNotBeEmpty();
        Types.InAssembly(catalog.AssemblyOf(Layer.Application)).That().HaveDependencyOn(catalog.NameOf(Layer.IntegrationEvents))
            .GetTypes().ShouldNotBeEmpty();
        Types.InAssembly(catalog.AssemblyOf(Layer.Infrastructure)).That().HaveDependencyOn("Microsoft.EntityFrameworkCore")
            .GetTypes().ShouldNotBeEmpty();
        Types.InAssembly(catalog.AssemblyOf(Layer.Domain)).That().HaveDependencyOn(BuildingBlocksDomain)
            .GetTypes().ShouldNotBeEmpty();

        // And the "only" rule rejects a layer that uses anything else: Application uses EF Core and Mediator.
        Types.InAssembly(catalog.AssemblyOf(Layer.Application)).Should()
            .OnlyHaveDependenciesOn(System, BuildingBlocksDomain, catalog.NameOf(Layer.Application), catalog.NameOf(Layer.Domain))
            .GetResult().IsSuccessful.ShouldBeFalse();
    }

    [Fact]
    public void Building_blocks_never_depend_on_modules()
    {
        ArchAssert.Passes(
            Types.InAssemblies(BuildingBlocks.All).ShouldNot().HaveDependencyOn("Retail.Modules"),
            "BuildingBlocks are shared by every module and must not know any of them");
    }

    [Fact]
    public void Building_block_layers_follow_the_same_direction()
    {
        ArchAssert.Passes(
            Types.InAssembly(BuildingBlocks.Contracts).Should().OnlyHaveDependenciesOn(System, BuildingBlocksContracts),
            $"{BuildingBlocksContracts} has no dependencies (it travels with every IntegrationEvents assembly)");
        ArchAssert.Passes(
            Types.InAssembly(BuildingBlocks.Domain).Should().OnlyHaveDependenciesOn(System, BuildingBlocksDomain),
            $"{BuildingBlocksDomain} has no dependencies");
        ArchAssert.Passes(
            Types.InAssembly(BuildingBlocks.Application).ShouldNot().HaveDependencyOnAny(BuildingBlocksInfrastructure, "Retail.Host"),
            $"{BuildingBlocksApplication} must not depend on {BuildingBlocksInfrastructure} or the Host");
    }
}
