using Retail.BuildingBlocks.Contracts;

// ADR 0004: the public stock requests below are handled by the Catalog module, so behaviors (unit of work, authorization)
// must see them as the module's own. The literal equals CatalogModule.Name, which this contract assembly cannot reference.
[assembly: RetailModule("catalog")]
