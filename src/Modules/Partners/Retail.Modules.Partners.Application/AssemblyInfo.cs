using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Partners.Application.PartnersModule.Name)]

namespace Retail.Modules.Partners.Application;

/// <summary>The Partners module's name: its schema on SQL Server and table prefix on SQLite.</summary>
public static class PartnersModule
{
    public const string Name = "partners";
}
