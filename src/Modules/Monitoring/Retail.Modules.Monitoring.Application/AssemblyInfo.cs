using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Monitoring.Application.MonitoringModule.Name)]

namespace Retail.Modules.Monitoring.Application;

/// <summary>The Monitoring module's name: its schema on SQL Server and table prefix on SQLite.</summary>
public static class MonitoringModule
{
    public const string Name = "monitoring";

    /// <summary>The module's meter (request durations, rate-limited answers, log entries), scraped at <c>/metrics</c>.</summary>
    public const string MeterName = "Retail.Monitoring";
}
