using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Infrastructure.Idempotency;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.IntegrationTests.Support;

/// <summary>
/// One test's "application": a real SQLite file in its own temp folder, the test module's context registered the way
/// modules register theirs (keyed context, unit of work, idempotency store), the real outbox relay, fake time, a
/// recording nudge and the test subscribers. Each test starts its own, so nothing leaks between tests.
/// </summary>
internal sealed class SqliteModuleHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _folder;
    private readonly string _connectionString;

    private SqliteModuleHost(string folder, string connectionString, ServiceProvider services, FakeTimeProvider time)
    {
        _folder = folder;
        _connectionString = connectionString;
        Services = services;
        Time = time;
    }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public RecordingOutboxNudge Nudges => Services.GetRequiredService<RecordingOutboxNudge>();

    public HandlerLog Log => Services.GetRequiredService<HandlerLog>();

    public FailureSwitch Failures => Services.GetRequiredService<FailureSwitch>();

    /// <param name="subscribe">Adds the subscriptions of this test (none by default).</param>
    /// <param name="outbox">Adjusts the relay's options.</param>
    public static async Task<SqliteModuleHost> StartAsync(Action<IServiceCollection>? subscribe = null, Action<OutboxOptions>? outbox = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "retail-buildingblocks-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var connectionString = $"Data Source={Path.Combine(folder, "t.db")}";
        var time = new FakeTimeProvider(Start);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<RecordingOutboxNudge>();
        services.AddSingleton<IOutboxNudge>(sp => sp.GetRequiredService<RecordingOutboxNudge>());
        services.AddSingleton<HandlerLog>();
        services.AddSingleton<FailureSwitch>();

        // The module's database, registered like ModuleDatabaseRegistration.AddModuleDatabase does for real modules.
        // Interceptors registered in DI join in, as in ModuleDatabaseRegistration (tests inject faults that way).
        services.AddDbContext<TestModuleDbContext>((sp, o) => ModuleDatabaseRegistration.ConfigureSqlite(o, connectionString, TestModule.Name).AddInterceptors(sp.GetServices<IInterceptor>()));
        services.AddSingleton(new ModuleDatabase(TestModule.Name, typeof(TestModuleDbContext), HasOutbox: true));
        services.AddKeyedScoped<ModuleDbContext>(TestModule.Name, (sp, _) => sp.GetRequiredService<TestModuleDbContext>());
        services.AddKeyedScoped<IUnitOfWork>(TestModule.Name, (sp, _) =>
            new EfUnitOfWork<TestModuleDbContext>(sp.GetRequiredService<TestModuleDbContext>(), sp.GetRequiredService<IOutboxNudge>()));
        services.AddKeyedScoped(TestModule.Name, (sp, key) =>
            new IdempotencyStore(sp.GetRequiredKeyedService<ModuleDbContext>(key), sp.GetRequiredService<TimeProvider>()));
        services.AddGroupCommit<TestModuleDbContext, TestModuleDbContext>();

        services.Configure<OutboxOptions>(o => outbox?.Invoke(o));
        services.AddSingleton<IntegrationEventSubscriptions>();
        services.AddSingleton<OutboxRelay>();
        subscribe?.Invoke(services);

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        var host = new SqliteModuleHost(folder, connectionString, provider, time);
        try
        {
            // Folder + WAL exactly as the app prepares its file; the test context has no migrations, so create its tables.
            await provider.MigrateModuleDatabasesAsync();
            await host.WithContextAsync(db => db.Database.EnsureCreatedAsync());
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>The standard pair of subscribers of <see cref="WidgetCreated"/>.</summary>
    public static void TwoSubscribers(IServiceCollection services)
    {
        services.AddIntegrationEventHandler<WidgetCreated, ProjectionWidgetHandler>();
        services.AddIntegrationEventHandler<WidgetCreated, AuditWidgetHandler>();
    }

    public AsyncServiceScope CreateScope() => Services.CreateAsyncScope();

    /// <summary>Runs <paramref name="work"/> with a fresh context in a fresh scope (so nothing is answered from a change tracker).</summary>
    public async Task<T> WithContextAsync<T>(Func<TestModuleDbContext, Task<T>> work)
    {
        await using var scope = CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<TestModuleDbContext>());
    }

    /// <summary>Writes outbox rows directly (one SaveChanges), as a committed command would have.</summary>
    public Task PublishAsync(params IIntegrationEvent[] events) => WithContextAsync(async db =>
    {
        foreach (var integrationEvent in events)
        {
            db.Publish(integrationEvent);
        }

        return await db.SaveChangesAsync();
    });

    public WidgetCreated NewWidgetCreated(string name, TimeSpan? offset = null) =>
        new(Guid.NewGuid(), Time.GetUtcNow() + (offset ?? TimeSpan.Zero), name);

    public Task<int> RelayAsync() => Services.GetRequiredService<OutboxRelay>().RunAsync(TestModule.Name);

    public Task<OutboxMessage> OutboxRowAsync(Guid eventId) =>
        WithContextAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == eventId));

    public Task<List<OutboxMessage>> OutboxRowsAsync() =>
        WithContextAsync(db => db.OutboxMessages.AsNoTracking().ToListAsync());

    public Task<List<HandlerEffect>> EffectsAsync() =>
        WithContextAsync(db => db.HandlerEffects.AsNoTracking().ToListAsync());

    public Task<List<InboxMessage>> InboxAsync() =>
        WithContextAsync(db => db.InboxMessages.AsNoTracking().ToListAsync());

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        // Only this test's pool: its pooled connections hold the file open.
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test for.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
