using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.BuildingBlocks.IntegrationTests.Support;

namespace Retail.BuildingBlocks.IntegrationTests.Persistence;

/// <summary>Every SQLite connection a module opens (pooled ones too) carries the busy timeout and durability settings.</summary>
public sealed class SqliteConnectionSettingsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retail-sqlite-settings-tests", Guid.NewGuid().ToString("N"));

    public SqliteConnectionSettingsTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<(long BusyTimeout, long Synchronous)> ReadAsync(DatabaseOptions? database)
    {
        var builder = new DbContextOptionsBuilder<TestModuleDbContext>();
        ModuleDatabaseRegistration.ConfigureSqlite(builder, $"Data Source={Path.Combine(_folder, "s.db")}", TestModule.Name, database);
        await using var context = new TestModuleDbContext(builder.Options);
        await context.Database.OpenConnectionAsync();
        var busy = await context.Database.SqlQueryRaw<long>("PRAGMA busy_timeout").ToListAsync();
        var synchronous = await context.Database.SqlQueryRaw<long>("PRAGMA synchronous").ToListAsync();
        return (busy.Single(), synchronous.Single());
    }

    [Fact]
    public async Task Defaults_wait_thirty_seconds_for_the_write_lock_and_sync_every_commit()
    {
        var (busy, synchronous) = await ReadAsync(null);

        busy.ShouldBe(30_000);
        synchronous.ShouldBe(2); // FULL
    }

    [Fact]
    public async Task Configured_values_apply_to_every_connection_including_pooled_ones()
    {
        var options = new DatabaseOptions { SqliteBusyTimeout = TimeSpan.FromSeconds(5), SqliteSynchronous = SqliteSynchronous.Normal };

        var first = await ReadAsync(options);
        var reused = await ReadAsync(options);

        first.ShouldBe((5_000L, 1L)); // NORMAL
        reused.ShouldBe((5_000L, 1L));
    }
}
