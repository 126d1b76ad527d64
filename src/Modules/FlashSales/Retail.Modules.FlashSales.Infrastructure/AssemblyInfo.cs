using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.FlashSales.Application.FlashSalesModule.Name)]
