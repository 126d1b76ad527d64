using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.BuildingBlocks.IntegrationTests.Support;

namespace Retail.BuildingBlocks.IntegrationTests.Persistence;

/// <summary>
/// This process's transactions on one SQLite file wait for their turn with an <c>await</c>, not a blocked thread, and
/// every way a transaction can end gives the turn back: a turn kept by mistake would stop every writer of the process
/// until its busy timeout. Each "given back" check is a second writer that must begin at once; with the turn kept it
/// fails with SQLITE_BUSY after <see cref="CheckTimeout"/>.
/// </summary>
public sealed class SqliteWriteTurnTests : IDisposable
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    private readonly SqliteTestFile _file = new();

    private string File => _file.Path;

    public void Dispose() => _file.Dispose();

    private TestModuleDbContext Open(TimeSpan? busyTimeout = null, string extra = "") =>
        _file.Open(new DatabaseOptions { SqliteBusyTimeout = busyTimeout ?? TimeSpan.FromSeconds(30) }, extra);

    private Task CreateAsync() => _file.CreateAsync();

    private static Widget NewWidget(string name) => new() { Id = Guid.NewGuid(), Name = name };

    /// <summary>A writer that must get the turn (and the lock) at once; it commits one widget.</summary>
    private async Task TurnIsFreeAsync(string name)
    {
        await using var checker = Open(CheckTimeout);
        await using var transaction = await checker.Database.BeginTransactionAsync();
        checker.Widgets.Add(NewWidget(name));
        await checker.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private async Task<List<string>> NamesInWriteOrderAsync()
    {
        await using var check = Open();
        return await check.Database.SqlQueryRaw<string>("SELECT Name AS Value FROM testing_Widgets ORDER BY rowid").ToListAsync();
    }

    private async Task WriteOneAsync(string name)
    {
        await using var writer = Open();
        await using var transaction = await writer.Database.BeginTransactionAsync();
        writer.Widgets.Add(NewWidget(name));
        await writer.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    [Fact]
    public async Task Writers_waiting_for_the_holder_hold_no_thread_and_write_in_the_order_they_came()
    {
        await CreateAsync();
        await using var holder = Open();
        var held = await holder.Database.BeginTransactionAsync();
        holder.Widgets.Add(NewWidget("holder"));
        await holder.SaveChangesAsync();

        // Started on this thread: each call returns only once its writer waits. A writer waiting in SQLite's busy handler
        // would block this thread instead (and, with the holder never committing, fail after 30 s).
        var writers = Enumerable.Range(1, 20).Select(i => WriteOneAsync($"w{i:00}")).ToList();

        SqliteWriteTurn.WaitingOn(File).ShouldBe(20);
        writers.ShouldAllBe(w => !w.IsCompleted);

        await held.CommitAsync();
        await held.DisposeAsync();
        await Task.WhenAll(writers);

        SqliteWriteTurn.WaitingOn(File).ShouldBe(0);
        (await NamesInWriteOrderAsync()).ShouldBe(["holder", .. Enumerable.Range(1, 20).Select(i => $"w{i:00}")]);
    }

    [Fact]
    public async Task A_save_of_several_rows_outside_a_transaction_takes_its_turn_too()
    {
        await CreateAsync();
        await using var holder = Open();
        var held = await holder.Database.BeginTransactionAsync();

        await using var saver = Open();
        saver.Widgets.AddRange(NewWidget("a"), NewWidget("b"), NewWidget("c"));
        var save = saver.SaveChangesAsync(); // several statements: EF wraps them in its own transaction

        SqliteWriteTurn.WaitingOn(File).ShouldBe(1);
        save.IsCompleted.ShouldBeFalse();
        await held.RollbackAsync();
        await held.DisposeAsync();
        (await save).ShouldBe(3);

        await TurnIsFreeAsync("after");
        (await NamesInWriteOrderAsync()).Count.ShouldBe(4);
    }

    [Fact]
    public async Task The_turn_is_given_back_when_a_transaction_commits_rolls_back_or_is_disposed_unfinished()
    {
        await CreateAsync();
        await using (var committed = Open())
        await using (var transaction = await committed.Database.BeginTransactionAsync())
        {
            committed.Widgets.Add(NewWidget("committed"));
            await committed.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await TurnIsFreeAsync("after commit");

        await using (var rolledBack = Open())
        await using (var transaction = await rolledBack.Database.BeginTransactionAsync())
        {
            rolledBack.Widgets.Add(NewWidget("rolled back"));
            await rolledBack.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        await TurnIsFreeAsync("after rollback");

        await using var abandoned = Open();
        await using (await abandoned.Database.BeginTransactionAsync())
        {
            abandoned.Widgets.Add(NewWidget("abandoned"));
            await abandoned.SaveChangesAsync();
        }

        // The context is still alive: the dispose rolled back and EF closed the connection it had opened.
        await TurnIsFreeAsync("after dispose");
        (await NamesInWriteOrderAsync()).ShouldBe(["committed", "after commit", "after rollback", "after dispose"]);
    }

    [Fact]
    public async Task On_a_connection_its_user_opened_an_unfinished_transaction_keeps_the_turn_for_that_connection_until_it_closes()
    {
        await CreateAsync();
        await using (var owner = Open())
        {
            await owner.Database.OpenConnectionAsync();
            await using (await owner.Database.BeginTransactionAsync())
            {
                owner.Widgets.Add(NewWidget("abandoned"));
                await owner.SaveChangesAsync();
            }

            // Nobody saw this transaction end, so its connection keeps the turn, and may begin again without waiting for itself.
            await using var again = await owner.Database.BeginTransactionAsync();
            owner.Widgets.Add(NewWidget("owner again"));
            await owner.SaveChangesAsync();

            await using var other = Open(TimeSpan.FromMilliseconds(50), ";Default Timeout=1");
            (await Should.ThrowAsync<SqliteException>(() => other.Database.BeginTransactionAsync())).SqliteErrorCode.ShouldBe(5);

            await again.CommitAsync();
            await TurnIsFreeAsync("after commit");

            await using (await owner.Database.BeginTransactionAsync())
            {
                owner.Widgets.Add(NewWidget("abandoned again"));
                await owner.SaveChangesAsync();
            }
        }

        // Disposing the context closes the connection, which gives the turn back.
        await TurnIsFreeAsync("after close");
        (await NamesInWriteOrderAsync()).ShouldBe(["owner again", "after commit", "after close"]);
    }

    [Fact]
    public async Task A_transaction_that_cannot_begin_gives_the_turn_back()
    {
        await CreateAsync();
        await using (var otherProcess = new SqliteConnection($"Data Source={File}"))
        {
            // A plain connection, as another process's would be: it takes SQLite's lock without this process's turn.
            await otherProcess.OpenAsync();
            await using var lockIt = otherProcess.CreateCommand();
            lockIt.CommandText = "BEGIN IMMEDIATE;";
            await lockIt.ExecuteNonQueryAsync();

            await using var blocked = Open(TimeSpan.FromMilliseconds(50), ";Default Timeout=1");
            (await Should.ThrowAsync<SqliteException>(() => blocked.Database.BeginTransactionAsync())).SqliteErrorCode.ShouldBe(5);
            SqliteWriteTurn.WaitingOn(File).ShouldBe(0);

            lockIt.CommandText = "ROLLBACK;";
            await lockIt.ExecuteNonQueryAsync();
        }

        await TurnIsFreeAsync("after busy");
        (await NamesInWriteOrderAsync()).ShouldBe(["after busy"]);
    }

    [Fact]
    public async Task A_writer_that_stops_waiting_takes_no_turn_and_the_next_one_writes()
    {
        await CreateAsync();
        await using var holder = Open();
        var held = await holder.Database.BeginTransactionAsync();

        using var stop = new CancellationTokenSource();
        await using var impatient = Open();
        var begin = impatient.Database.BeginTransactionAsync(stop.Token);
        SqliteWriteTurn.WaitingOn(File).ShouldBe(1);
        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => begin);
        SqliteWriteTurn.WaitingOn(File).ShouldBe(0);

        await held.CommitAsync();
        await held.DisposeAsync();
        await TurnIsFreeAsync("next");
        (await NamesInWriteOrderAsync()).ShouldBe(["next"]);
    }

    [Fact]
    public async Task A_blocking_begin_waits_for_its_turn_and_gives_it_back()
    {
        await CreateAsync();
        await using var holder = Open();
        var held = await holder.Database.BeginTransactionAsync();

        var blocking = Task.Run(() =>
        {
            using var writer = Open();
            using var transaction = writer.Database.BeginTransaction();
            writer.Widgets.Add(NewWidget("blocking"));
            writer.SaveChanges();
            transaction.Commit();
        });
        SpinWait.SpinUntil(() => SqliteWriteTurn.WaitingOn(File) == 1 || blocking.IsCompleted, TimeSpan.FromSeconds(30)).ShouldBeTrue();
        blocking.IsCompleted.ShouldBeFalse("the blocking writer must wait while the holder has the turn");

        await held.CommitAsync();
        await held.DisposeAsync();
        await blocking;
        await TurnIsFreeAsync("after");
        (await NamesInWriteOrderAsync()).ShouldBe(["blocking", "after"]);
    }
}
