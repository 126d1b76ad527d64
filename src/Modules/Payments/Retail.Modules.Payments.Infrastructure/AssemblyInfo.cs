using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Payments.Application.PaymentsModule.Name)]
