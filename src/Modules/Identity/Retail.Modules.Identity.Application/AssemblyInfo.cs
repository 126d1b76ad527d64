using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Identity.Application.IdentityModule.Name)]

namespace Retail.Modules.Identity.Application;

public static class IdentityModule
{
    public const string Name = "identity";
}
