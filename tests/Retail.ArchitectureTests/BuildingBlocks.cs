using System.Reflection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Domain;
using Retail.BuildingBlocks.Infrastructure;

namespace Retail.ArchitectureTests;

/// <summary>The shared assemblies every module builds on.</summary>
internal static class BuildingBlocks
{
    public static readonly Assembly Contracts = typeof(IIntegrationEvent).Assembly;
    public static readonly Assembly Domain = typeof(IBusinessRule).Assembly;
    public static readonly Assembly Application = typeof(Result).Assembly;
    public static readonly Assembly Infrastructure = typeof(RetailPlatformExtensions).Assembly;
    public static readonly Assembly Host = typeof(Program).Assembly;

    public static readonly IReadOnlyList<Assembly> All = [Contracts, Domain, Application, Infrastructure];

    public static bool Contains(Assembly assembly) => All.Contains(assembly);
}
