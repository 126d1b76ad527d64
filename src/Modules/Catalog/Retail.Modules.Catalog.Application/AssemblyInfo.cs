using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Catalog.Application.CatalogModule.Name)]

namespace Retail.Modules.Catalog.Application;

/// <summary>The Catalog module's name: its schema on SQL Server and table prefix on SQLite.</summary>
public static class CatalogModule
{
    public const string Name = "catalog";

    /// <summary>HybridCache tag of everything cached from the catalog; removed when a product or its stock changes.</summary>
    public const string CacheTag = "catalog";

    /// <summary>
    /// HybridCache tag of what depends on which products exist, are active and in which category, not on their stock (the
    /// categories' product counts, the storefront's totals): removed when a product itself changes, so the stock changes
    /// of a flash sale or of partner stock webhooks do not make a large catalog count its products again.
    /// </summary>
    public const string AssortmentCacheTag = "catalog-assortment";
}
