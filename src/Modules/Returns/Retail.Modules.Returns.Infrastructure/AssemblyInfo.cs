using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Returns.Application.ReturnsModule.Name)]
