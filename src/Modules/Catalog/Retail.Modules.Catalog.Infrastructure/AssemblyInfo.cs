using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Catalog.Application.CatalogModule.Name)]
