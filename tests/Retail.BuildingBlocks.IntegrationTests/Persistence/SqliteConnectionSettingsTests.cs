using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.BuildingBlocks.IntegrationTests.Support;

namespace Retail.BuildingBlocks.IntegrationTests.Persistence;

/// <summary>
/// Every SQLite connection a module opens (pooled ones too) carries the durability setting and waits for the write lock
/// through <see cref="SqliteWriteLockWait"/>: woken by the holder's commit, giving up after the busy timeout, and still
/// checkpointing the WAL as SQLite's automatic checkpoint would.
/// </summary>
public sealed class SqliteConnectionSettingsTests : IDisposable
{
    private readonly SqliteTestFile _file = new();

    public void Dispose() => _file.Dispose();

    private TestModuleDbContext Open(DatabaseOptions? database, string extra = "") => _file.Open(database, extra);

    private Task CreateAsync() => _file.CreateAsync();

    private async Task<long> SynchronousAsync(DatabaseOptions? database)
    {
        await using var context = Open(database);
        await context.Database.OpenConnectionAsync();
        return (await context.Database.SqlQueryRaw<long>("PRAGMA synchronous").ToListAsync()).Single();
    }

    [Fact]
    public async Task Commits_are_synced_by_default_and_the_configured_level_applies_to_pooled_connections_too()
    {
        (await SynchronousAsync(null)).ShouldBe(2); // FULL

        var normal = new DatabaseOptions { SqliteSynchronous = SqliteSynchronous.Normal };
        (await SynchronousAsync(normal)).ShouldBe(1); // NORMAL
        (await SynchronousAsync(normal)).ShouldBe(1);
    }

    [Fact]
    public async Task A_writer_waiting_for_the_lock_is_woken_by_the_holders_commit_and_writes()
    {
        await CreateAsync();
        await using var holder = Open(null);
        await using var waiter = Open(null);
        // A waiter also looks again on its own every few milliseconds (SqliteWriteLockWait.LongestWait); a commit that
        // lands in the instant between two looks finds nobody waiting and signals nobody (it failed once so in a full run).
        // Up to five rounds, then: a commit that never wakes a waiter still fails every one of them.
        const int MaxRounds = 5;
        var rounds = 0;
        var woken = false;
        while (!woken && rounds < MaxRounds)
        {
            rounds++;
            await using var transaction = await holder.Database.BeginTransactionAsync(); // BEGIN IMMEDIATE: the write lock
            holder.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = $"first {rounds}" });
            await holder.SaveChangesAsync();

            var waiting = SqliteWriteLockWait.Waiting;
            var round = rounds;
            var write = Task.Run(async () =>
            {
                waiter.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = $"second {round}" });
                await waiter.SaveChangesAsync();
            });
            SpinWait.SpinUntil(() => SqliteWriteLockWait.Waiting > waiting || write.IsCompleted, TimeSpan.FromSeconds(30)).ShouldBeTrue();
            write.IsCompleted.ShouldBeFalse("the second writer must wait while the first holds the lock");

            var signals = SqliteWriteLockWait.Signals;
            await transaction.CommitAsync();
            await write;
            woken = SqliteWriteLockWait.Signals > signals;
        }

        woken.ShouldBeTrue($"the commit wakes the waiter instead of leaving it to its next look (in none of {rounds} rounds)");
        await using var check = Open(null);
        (await check.Widgets.CountAsync()).ShouldBe(2 * rounds, "every round's two writes are there");
    }

    [Fact]
    public async Task A_writer_gives_up_with_SQLITE_BUSY_after_the_busy_timeout_and_writes_nothing()
    {
        await CreateAsync();
        await using var holder = Open(null);
        await using var transaction = await holder.Database.BeginTransactionAsync();
        holder.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "held" });
        await holder.SaveChangesAsync();

        // Default Timeout=1: Microsoft.Data.Sqlite retries a busy command until its command timeout, so keep that short too.
        await using var impatient = Open(new DatabaseOptions { SqliteBusyTimeout = TimeSpan.FromMilliseconds(50) }, ";Default Timeout=1");
        var busy = await Should.ThrowAsync<SqliteException>(() => impatient.Database.BeginTransactionAsync());

        busy.SqliteErrorCode.ShouldBe(5); // SQLITE_BUSY
        await transaction.RollbackAsync();
        await using var check = Open(null);
        (await check.Widgets.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_pooled_connection_left_inside_a_transaction_is_rolled_back_before_its_next_use()
    {
        await CreateAsync();
        SqliteConnection.ClearAllPools();
        await using (var careless = new SqliteConnection($"Data Source={_file.Path}"))
        {
            await careless.OpenAsync();
            await using var command = careless.CreateCommand();
            // A raw BEGIN is not the provider's transaction, so closing the connection does not roll it back.
            command.CommandText = $"BEGIN IMMEDIATE; INSERT INTO testing_Widgets (Id, Name) VALUES ('{Guid.NewGuid()}', 'left behind');";
            await command.ExecuteNonQueryAsync();
        }

        await using var next = Open(null);
        next.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "next" });
        await next.SaveChangesAsync();

        await using var check = Open(null);
        (await check.Widgets.Select(w => w.Name).ToListAsync()).ShouldBe(["next"]);
    }

    [Fact]
    public async Task The_write_ahead_log_is_still_checkpointed_at_a_thousand_pages()
    {
        await CreateAsync();
        var options = new DatabaseOptions { SqliteSynchronous = SqliteSynchronous.Normal };
        await using var writer = Open(options);
        await writer.Database.ExecuteSqlRawAsync("CREATE TABLE pad (b BLOB NOT NULL);");
        for (var batch = 0; batch < 40; batch++)
        {
            // ~100 pages per transaction: 4,000 pages in all, four times the checkpoint threshold.
            await writer.Database.ExecuteSqlRawAsync(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO pad SELECT randomblob(4000) FROM n;");
        }

        await writer.Database.OpenConnectionAsync();
        await using var command = writer.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);"; // busy, log (pages in the WAL now), checkpointed
        await using var result = await command.ExecuteReaderAsync();
        (await result.ReadAsync()).ShouldBeTrue();
        var walPages = result.GetInt64(1);

        // Without checkpoints the log would hold every page written (over 4,000); checkpointed, it restarts after ~1,000.
        walPages.ShouldBeLessThan(1_500);
        walPages.ShouldBeGreaterThan(0);
    }
}
