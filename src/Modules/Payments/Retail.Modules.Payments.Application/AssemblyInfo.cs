using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Payments.Application.PaymentsModule.Name)]

namespace Retail.Modules.Payments.Application;

/// <summary>The Payments module's name: its schema on SQL Server and table prefix on SQLite.</summary>
public static class PaymentsModule
{
    public const string Name = "payments";
}
