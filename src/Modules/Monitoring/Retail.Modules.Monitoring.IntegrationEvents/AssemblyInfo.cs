using Retail.BuildingBlocks.Contracts;

// ADR 0004: the public request below is handled by the Monitoring module. The literal equals MonitoringModule.Name.
[assembly: RetailModule("monitoring")]
