using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Monitoring.Application;
using Retail.Modules.Monitoring.Infrastructure;
using Retail.Modules.Monitoring.Infrastructure.Persistence;
using Retail.Testing;

namespace Retail.Modules.Monitoring.IntegrationTests;

/// <summary>
/// The Monitoring module as the Host wires it, on a real SQLite file migrated with the real migrations, with the real
/// outbox relay delivering events to its real subscriptions. <see cref="RestartAsync"/> builds a new service provider
/// over the same file, as a restarted app would.
/// </summary>
public sealed class MonitoringFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retail-monitoring-it-" + Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    public ServiceProvider Services { get; private set; } = null!;

    /// <summary>What the module logged (kept across <see cref="RestartAsync"/>).</summary>
    public CapturingLoggerProvider Log { get; } = new();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        Services = Build();
        await Services.MigrateModuleDatabasesAsync();
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A new service provider over the same database file (the old one is disposed).</summary>
    public async Task RestartAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Services = Build();
        await Services.MigrateModuleDatabasesAsync();
    }

    /// <summary>
    /// Puts the events into an outbox (the Monitoring context's own: the relay delivers by event name whoever wrote the
    /// row) and runs the real relay, which delivers them to the module's subscriptions with their inbox rows.
    /// </summary>
    public async Task<int> DeliverAsync(params IIntegrationEvent[] events)
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MonitoringDbContext>();
            foreach (var e in events)
            {
                db.Publish(e);
            }

            await db.SaveChangesAsync();
        }

        return await Services.GetRequiredService<OutboxRelay>().RunAsync(MonitoringModule.Name);
    }

    /// <summary>As if the relay had crashed after delivering but before marking the rows processed: deliver them all again.</summary>
    public async Task<int> RedeliverEverythingAsync()
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MonitoringDbContext>();
            await db.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(m => m.ProcessedAt, (DateTimeOffset?)null));
        }

        return await Services.GetRequiredService<OutboxRelay>().RunAsync(MonitoringModule.Name);
    }

    public async Task<Dictionary<string, long>> TotalsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MonitoringDbContext>();
        return await db.BusinessTotals.AsNoTracking().ToDictionaryAsync(t => t.Name, t => t.Value);
    }

    public async Task<Dictionary<string, long>> DayAsync(DateOnly day)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MonitoringDbContext>();
        return await db.DailyTotals.AsNoTracking().Where(t => t.Day == day).ToDictionaryAsync(t => t.Name, t => t.Value);
    }

    private ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Retail"] = $"Data Source={Path.Combine(_folder, "monitoring.db")}" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Log));
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IOutboxNudge, IgnoreNudges>();
        services.AddOptions<OutboxOptions>();
        services.AddSingleton<IntegrationEventSubscriptions>();
        services.AddSingleton<OutboxRelay>();
        services.AddMonitoringModule(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private sealed class IgnoreNudges : IOutboxNudge
    {
        public void Nudge(string module)
        {
        }
    }
}
