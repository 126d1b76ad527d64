using System.Reflection;
using NetArchTest.Rules;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Domain;

namespace Retail.ArchitectureTests;

/// <summary>The named conventions of the house, one theory row per module.</summary>
public sealed class ConventionTests
{
    private static IEnumerable<Type> TypesOf(ModuleMarkers module) => ArchAssert.WrittenTypes(module.Assemblies);

    private static IEnumerable<Type> AllModuleTypes => ArchAssert.WrittenTypes(ModuleTable.AllModuleAssemblies);

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Handlers_implement_mediator_only_through_our_interfaces(string module)
    {
        var m = ModuleTable.Get(module);

        ArchAssert.NoOffenders(
            Conventions.HandlersImplementingMediatorDirectly(TypesOf(m)),
            $"Module {m.Name}: handlers implement Retail.BuildingBlocks.Application.Messaging.ICommandHandler/IQueryHandler, never Mediator's handler interfaces directly");
    }

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Commands_and_queries_implement_our_ICommand_or_IQuery(string module)
    {
        var m = ModuleTable.Get(module);

        ArchAssert.NoOffenders(
            Conventions.RequestsNotThroughOurInterfaces(TypesOf(m)),
            $"Module {m.Name}: requests implement Retail.BuildingBlocks.Application.Messaging.ICommand/ICommand<T>/IQuery<T>, never Mediator's IRequest/ICommand/IQuery/INotification directly");
    }

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Handlers_are_sealed(string module)
    {
        var m = ModuleTable.Get(module);

        ArchAssert.NoOffenders(Conventions.HandlersNotSealed(TypesOf(m)), $"Module {m.Name}: handlers are sealed");
    }

    [Fact]
    public void Host_and_building_blocks_implement_no_mediator_handler_directly()
    {
        var types = ArchAssert.WrittenTypes([BuildingBlocks.Host, .. BuildingBlocks.All]);

        ArchAssert.NoOffenders(Conventions.HandlersImplementingMediatorDirectly(types), "Handlers go through our ICommandHandler/IQueryHandler");
    }

    [Fact]
    public void The_handler_scan_finds_the_modules_handlers()
    {
        // Not vacuous: both modules' known handlers are recognised as handlers.
        var handlers = AllModuleTypes.Where(Conventions.IsHandler).Select(t => t.Name).ToList();

        handlers.ShouldContain("CreateProductCommandHandler");
        handlers.ShouldContain("SearchProductsQueryHandler");
        handlers.ShouldContain("SignInCommandHandler");
        handlers.ShouldContain("RegisterCustomerCommandHandler");

        var requests = AllModuleTypes.Where(Conventions.IsRequest).Select(t => t.Name).ToList();
        requests.ShouldContain("AdjustStockCommand");
        requests.ShouldContain("GetUsersQuery");
    }

    [Fact]
    public void Only_building_blocks_implement_mediator_pipeline_behaviors()
    {
        var outsideBuildingBlocks = ArchAssert.WrittenTypes([BuildingBlocks.Host, .. ModuleTable.AllModuleAssemblies]);

        ArchAssert.NoOffenders(
            Conventions.PipelineBehaviorImplementations(outsideBuildingBlocks),
            "Only Retail.BuildingBlocks may implement Mediator's IPipelineBehavior (the behavior chain is defined in one place)");

        // Not vacuous: the scan does recognise the real behaviors.
        Conventions.PipelineBehaviorImplementations(ArchAssert.WrittenTypes(BuildingBlocks.Application))
            .ShouldContain(typeof(Retail.BuildingBlocks.Application.Behaviors.AuthorizationBehavior<,>).FullName!);
    }

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Entities_have_no_public_setters(string module)
    {
        var m = ModuleTable.Get(module);

        ArchAssert.NoOffenders(
            Conventions.EntitiesWithPublicSetters(TypesOf(m)),
            $"Module {m.Name}: entities and aggregates (Entity<>) change state only through methods; no public setters or fields");
    }

    [Fact]
    public void The_entity_scan_finds_the_catalog_aggregates()
    {
        var entities = AllModuleTypes.Where(Conventions.IsEntity).Select(t => t.Name).ToList();

        entities.ShouldContain("Product");
        entities.ShouldContain("Category");
        entities.ShouldContain("StockMovement");
    }

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Integration_events_are_named_sealed_records_in_the_IntegrationEvents_assembly(string module)
    {
        var m = ModuleTable.Get(module);
        var types = TypesOf(m).ToList();

        types.Where(Conventions.IsIntegrationEvent).ShouldNotBeEmpty(
            $"Module {m.Name} has no integration events; its IntegrationEvents marker ({m.IntegrationEvents.Name}) should be one");
        ArchAssert.NoOffenders(
            Conventions.MalformedIntegrationEvents(types),
            $"Module {m.Name}: integration events are sealed records with [IntegrationEventName]");
        ArchAssert.NoOffenders(
            types.Where(Conventions.IsIntegrationEvent).Where(t => t.Assembly != m.AssemblyOf(Layer.IntegrationEvents)).Select(t => t.FullName!),
            $"Module {m.Name}: integration events live in {m.NameOf(Layer.IntegrationEvents)}, the only assembly other modules reference");
    }

    [Fact]
    public void Integration_event_names_are_unique_across_modules()
    {
        var events = AllModuleTypes.Where(Conventions.IsIntegrationEvent).ToList();

        events.Count.ShouldBeGreaterThanOrEqualTo(ModuleTable.All.Count);
        ArchAssert.NoOffenders(Conventions.DuplicateEventNames(events), "Integration event names are stable wire names and must be unique");
    }

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Business_rules_are_named_Rule(string module)
    {
        var m = ModuleTable.Get(module);

        ArchAssert.Passes(
            Types.InAssemblies(m.Assemblies).That().ImplementInterface(typeof(IBusinessRule)).Should().HaveNameEndingWith("Rule", StringComparison.Ordinal),
            $"Module {m.Name}: business rules (IBusinessRule) are named *Rule");
    }

    [Fact]
    public void The_business_rule_scan_finds_the_rules()
    {
        var rules = Types.InAssemblies(ModuleTable.AllModuleAssemblies).That().ImplementInterface(typeof(IBusinessRule)).GetTypes().Select(t => t.Name).ToList();

        rules.ShouldContain("SkuMustBeWellFormedRule");
        rules.ShouldContain("DisplayNameMustBePrintableRule");
    }

    [Fact]
    public void Pages_do_not_touch_EF_Core()
    {
        var pages = Types.InAssembly(BuildingBlocks.Host).That().ResideInNamespaceStartingWith("Retail.Host.Pages");
        pages.GetTypes().Select(t => t.Name).ShouldContain("RetailPageModel");

        ArchAssert.Passes(
            Types.InAssembly(BuildingBlocks.Host).That().ResideInNamespaceStartingWith("Retail.Host.Pages")
                .ShouldNot().HaveDependencyOnAny("Microsoft.EntityFrameworkCore"),
            "Pages are thin: they send commands and queries through the mediator and never touch EF Core");
    }

    [Fact]
    public void Pages_do_not_hold_a_module_database_context()
    {
        // A page could inject ICatalogDbContext without naming an EF type; it still must not.
        var pageTypes = ArchAssert.WrittenTypes(BuildingBlocks.Host).Where(t => t.Namespace?.StartsWith("Retail.Host.Pages", StringComparison.Ordinal) == true);
        const BindingFlags Members = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

        ArchAssert.NoOffenders(
            pageTypes.Where(t =>
                t.GetConstructors(Members).SelectMany(c => c.GetParameters()).Any(p => typeof(IModuleDbContext).IsAssignableFrom(p.ParameterType))
                || t.GetFields(Members).Any(f => typeof(IModuleDbContext).IsAssignableFrom(f.FieldType))
                || t.GetProperties(Members).Any(p => typeof(IModuleDbContext).IsAssignableFrom(p.PropertyType)))
                .Select(t => t.FullName!),
            "Pages never hold a module's database context");
    }

    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void Application_and_Infrastructure_carry_the_same_RetailModule_name(string module)
    {
        var m = ModuleTable.Get(module);
        var application = m.AssemblyOf(Layer.Application).GetCustomAttribute<RetailModuleAttribute>();
        var infrastructure = m.AssemblyOf(Layer.Infrastructure).GetCustomAttribute<RetailModuleAttribute>();

        application.ShouldNotBeNull($"{m.NameOf(Layer.Application)} has no [assembly: RetailModule(...)]");
        infrastructure.ShouldNotBeNull($"{m.NameOf(Layer.Infrastructure)} has no [assembly: RetailModule(...)]");
        application.Name.ShouldNotBeNullOrWhiteSpace();
        infrastructure.Name.ShouldBe(application.Name, $"Both layers of module {m.Name} must name the same module");
    }

    /// <summary>
    /// ADR 0004: public requests in the IntegrationEvents assembly are handled by the module, and the behaviors find
    /// the module's unit of work from the request's assembly, so that assembly must name the same module.
    /// </summary>
    [Theory]
    [MemberData(nameof(ModuleTable.Modules), MemberType = typeof(ModuleTable))]
    public void IntegrationEvents_with_public_requests_carry_the_modules_RetailModule_name(string module)
    {
        var m = ModuleTable.Get(module);
        var contracts = m.AssemblyOf(Layer.IntegrationEvents);
        var declared = contracts.GetCustomAttribute<RetailModuleAttribute>()?.Name;
        var requests = ArchAssert.WrittenTypes(contracts).Where(Conventions.IsRequest).Select(t => t.Name).ToList();
        if (requests.Count == 0 && declared is null)
        {
            return;
        }

        declared.ShouldBe(
            m.AssemblyOf(Layer.Application).GetCustomAttribute<RetailModuleAttribute>()?.Name,
            $"{m.NameOf(Layer.IntegrationEvents)} declares public requests ({string.Join(", ", requests)}) and must carry [assembly: RetailModule(...)] with the module's name");
    }

    [Fact]
    public void RetailModule_names_are_unique()
    {
        var names = ModuleTable.All
            .Select(m => (m.Name, Declared: m.AssemblyOf(Layer.Application).GetCustomAttribute<RetailModuleAttribute>()?.Name))
            .ToList();

        ArchAssert.NoOffenders(
            names.GroupBy(n => n.Declared, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
                .Select(g => $"'{g.Key}' on {string.Join(" and ", g.Select(n => n.Name))}"),
            "Each module's [RetailModule] name keys its unit of work and inbox; two modules cannot share one");
    }
}
