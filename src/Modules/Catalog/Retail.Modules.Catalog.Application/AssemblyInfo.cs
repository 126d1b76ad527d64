using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Catalog.Application.CatalogModule.Name)]

namespace Retail.Modules.Catalog.Application;

/// <summary>The Catalog module's name: its schema on SQL Server and table prefix on SQLite.</summary>
public static class CatalogModule
{
    public const string Name = "catalog";

    /// <summary>HybridCache tag of everything cached from the catalog; removed when a product changes.</summary>
    public const string CacheTag = "catalog";
}
