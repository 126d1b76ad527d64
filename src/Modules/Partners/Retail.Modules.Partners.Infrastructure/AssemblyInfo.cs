using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Partners.Application.PartnersModule.Name)]
