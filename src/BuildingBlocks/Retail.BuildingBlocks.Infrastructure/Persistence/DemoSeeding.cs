using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

/// <summary>A module's first-run data. Required data (roles, the super-admin) always; demo data only when enabled.</summary>
public interface IModuleSeeder
{
    /// <summary>Lower runs first (Identity before modules that reference users).</summary>
    int Order { get; }

    /// <summary>Seeds what the module needs; demo data only when <paramref name="includeDemoData"/> and its tables are empty.</summary>
    Task SeedAsync(bool includeDemoData, CancellationToken cancellationToken);
}

public static class DemoSeeding
{
    /// <summary>Runs every module's seeder in order. <c>Seed:Demo</c> (default true) allows demo data in an empty database.</summary>
    public static async Task SeedModulesAsync(this IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var includeDemo = configuration.GetValue("Seed:Demo", true);
        await using var scope = services.CreateAsyncScope();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Retail.Seed");
        foreach (var seeder in scope.ServiceProvider.GetServices<IModuleSeeder>().OrderBy(s => s.Order))
        {
            logger.LogDebug("Seeding {Seeder}", seeder.GetType().Name);
            await seeder.SeedAsync(includeDemo, cancellationToken);
        }
    }
}
