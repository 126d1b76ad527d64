using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Monitoring.Application.MonitoringModule.Name)]
