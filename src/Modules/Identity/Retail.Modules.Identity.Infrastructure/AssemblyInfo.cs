using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Identity.Application.IdentityModule.Name)]
