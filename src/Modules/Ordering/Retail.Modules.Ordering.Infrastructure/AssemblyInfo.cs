using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Ordering.Application.OrderingModule.Name)]
