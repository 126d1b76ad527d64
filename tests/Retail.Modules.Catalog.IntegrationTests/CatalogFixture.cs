using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Catalog.Application;
using Retail.Modules.Catalog.Infrastructure;

namespace Retail.Modules.Catalog.IntegrationTests;

/// <summary>
/// The Catalog module as the Host wires it, on a real SQLite file migrated with the real migrations. Handlers are run
/// inside the module's real unit of work, the way the mediator's behavior runs them.
/// </summary>
public sealed class CatalogFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retail-catalog-it-" + Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    public TestUser User { get; } = new();

    public ServiceProvider Services { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Retail"] = $"Data Source={Path.Combine(_folder, "catalog.db")}" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<ICurrentUser>(User);
        services.AddSingleton<IOutboxNudge, IgnoreNudges>();
        services.AddHybridCache();
        services.AddCatalogModule(configuration);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await Services.MigrateModuleDatabasesAsync();
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Runs a command handler in its own scope and transaction, committing only on success.</summary>
    public async Task<TResult> SendAsync<TResult>(Func<IServiceProvider, ValueTask<TResult>> handle)
        where TResult : Result
    {
        await using var scope = Services.CreateAsyncScope();
        var unitOfWork = scope.ServiceProvider.GetRequiredKeyedService<IUnitOfWork>(CatalogModule.Name);
        return await unitOfWork.ExecuteAsync(async () => await handle(scope.ServiceProvider), r => r.IsSuccess, CancellationToken.None);
    }

    public async Task<T> QueryAsync<T>(Func<IServiceProvider, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider);
    }

    public sealed class TestUser : ICurrentUser
    {
        public bool IsAuthenticated => true;

        public string? UserId => "user-1";

        public string? UserName => "catalog@retail.local";

        public bool IsInRole(string role) => role == "catalog-admin";
    }

    private sealed class IgnoreNudges : IOutboxNudge
    {
        public void Nudge(string module)
        {
        }
    }
}
