using System.Reflection;
using Retail.Modules.Catalog.Application;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.Infrastructure;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.FlashSales.Application;
using Retail.Modules.FlashSales.Domain.Sales;
using Retail.Modules.FlashSales.Infrastructure;
using Retail.Modules.FlashSales.IntegrationEvents;
using Retail.Modules.Identity.Application;
using Retail.Modules.Identity.Domain;
using Retail.Modules.Identity.Infrastructure;
using Retail.Modules.Identity.IntegrationEvents;
using Retail.Modules.Ordering.Application;
using Retail.Modules.Ordering.Domain.Orders;
using Retail.Modules.Ordering.Infrastructure;
using Retail.Modules.Ordering.IntegrationEvents;
using Retail.Modules.Monitoring.Application;
using Retail.Modules.Monitoring.Domain.Totals;
using Retail.Modules.Monitoring.Infrastructure;
using Retail.Modules.Monitoring.IntegrationEvents;
using Retail.Modules.Payments.Application;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.Infrastructure;
using Retail.Modules.Payments.IntegrationEvents;
using Retail.Modules.Returns.Application;
using Retail.Modules.Returns.Domain.Returns;
using Retail.Modules.Returns.Infrastructure;
using Retail.Modules.Returns.IntegrationEvents;
using Retail.Modules.Partners.Application;
using Retail.Modules.Partners.Domain.Partners;
using Retail.Modules.Partners.Infrastructure;
using Retail.Modules.Partners.IntegrationEvents;

namespace Retail.ArchitectureTests;

/// <summary>The four layer assemblies every module has, named <c>Retail.Modules.&lt;Module&gt;.&lt;Layer&gt;</c>.</summary>
public enum Layer
{
    Domain,
    Application,
    Infrastructure,
    IntegrationEvents,
}

/// <summary>
/// The one table of modules the architecture rules run over: one public marker type from each layer assembly.
/// Adding a module is adding one row; <see cref="ModuleTableTests"/> fails while a module reachable from the Host is missing.
/// </summary>
public static class ModuleTable
{
    public static readonly IReadOnlyList<ModuleMarkers> All =
    [
        //  Module      Domain                 Application             Infrastructure                     IntegrationEvents
        new("Catalog",  typeof(Product),       typeof(CatalogModule),  typeof(CatalogModuleExtensions),   typeof(ProductUpserted)),
        new("Identity", typeof(AccountPolicy), typeof(IdentityModule), typeof(IdentityModuleExtensions),  typeof(CustomerRegistered)),
        new("Ordering", typeof(Order),         typeof(OrderingModule), typeof(OrderingModuleExtensions),  typeof(OrderPlaced)),
        new("Payments", typeof(Payment),       typeof(PaymentsModule), typeof(PaymentsModuleExtensions),  typeof(PaymentSucceeded)),
        new("Monitoring", typeof(BusinessTotal), typeof(MonitoringModule), typeof(MonitoringModuleExtensions), typeof(ScenarioStatusChanged)),
        new("FlashSales", typeof(FlashSale), typeof(FlashSalesModule), typeof(FlashSalesModuleExtensions), typeof(FlashSaleChanged)),
        new("Returns",  typeof(Return),        typeof(ReturnsModule),  typeof(ReturnsModuleExtensions),   typeof(ReturnStatusChanged)),
        new("Partners", typeof(Partner),       typeof(PartnersModule), typeof(PartnersModuleExtensions),  typeof(FeedJobFinished)),
    ];

    /// <summary>One theory row per module (names, so every row is its own test case).</summary>
    public static TheoryData<string> Modules
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var module in All)
            {
                data.Add(module.Name);
            }

            return data;
        }
    }

    public static ModuleMarkers Get(string name) =>
        All.SingleOrDefault(m => m.Name == name) ?? throw new ArgumentException($"No module '{name}' in {nameof(ModuleTable)}.", nameof(name));

    public static IEnumerable<Assembly> AllModuleAssemblies => All.SelectMany(m => m.Assemblies);
}

/// <summary>One row of <see cref="ModuleTable"/>.</summary>
public sealed record ModuleMarkers(string Name, Type Domain, Type Application, Type Infrastructure, Type IntegrationEvents)
{
    public static readonly IReadOnlyList<Layer> Layers = Enum.GetValues<Layer>();

    public Type MarkerOf(Layer layer) => layer switch
    {
        Layer.Domain => Domain,
        Layer.Application => Application,
        Layer.Infrastructure => Infrastructure,
        Layer.IntegrationEvents => IntegrationEvents,
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, null),
    };

    public Assembly AssemblyOf(Layer layer) => MarkerOf(layer).Assembly;

    /// <summary>The assembly name and root namespace of a layer, e.g. <c>Retail.Modules.Catalog.Domain</c>.</summary>
    public string NameOf(Layer layer) => $"Retail.Modules.{Name}.{layer}";

    public IEnumerable<Assembly> Assemblies => Layers.Select(AssemblyOf);

    public IEnumerable<ModuleMarkers> Others => ModuleTable.All.Where(m => m.Name != Name);

    /// <summary>What no other module may touch: everything of this module but its integration events.</summary>
    public IEnumerable<string> InternalNamespaces => [NameOf(Layer.Domain), NameOf(Layer.Application), NameOf(Layer.Infrastructure)];

    /// <summary>The internal namespaces of every other module in the table.</summary>
    public string[] OtherModulesInternals => [.. Others.SelectMany(o => o.InternalNamespaces)];

    public override string ToString() => Name;
}
