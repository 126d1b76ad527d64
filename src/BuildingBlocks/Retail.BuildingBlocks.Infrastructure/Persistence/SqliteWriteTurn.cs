using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

/// <summary>
/// This process's transactions on one SQLite file take turns before they ask SQLite for its single write lock, and wait
/// for their turn without holding a thread. Microsoft.Data.Sqlite waits for the lock synchronously (in
/// <see cref="SqliteWriteLockWait"/>'s busy handler), so in a checkout storm every waiting writer held a thread-pool
/// thread; the lock's holder, whose transaction awaits in between its statements, then waited for a free thread behind
/// them, and the pool's slow growth turned that into 14–16 s with the one core nearly idle (docs/benchmarks.md,
/// session 23). Waiting here is an <c>await</c>: the threads stay free for the holder.
/// <para>
/// SQLite's lock stays the only guard of the data: a turn only orders who asks for it. Writers of other processes on the
/// file, and single statements written without a transaction, still wait for the lock in the busy handler as before.
/// A transaction takes its turn when it begins (<c>BEGIN IMMEDIATE</c>, which takes the lock at once) and gives it back
/// when it commits, rolls back or fails, or its connection closes (a transaction disposed unfinished is rolled back
/// by the provider and EF closes the connection it opened for it; on a connection opened by its user the turn stays
/// with the connection until it closes or begins its next transaction). A turn not given within the busy timeout ends the
/// wait with SQLITE_BUSY, as the lock itself would.
/// </para>
/// </summary>
internal static class SqliteWriteTurn
{
    /// <summary>SQLite's result code for a lock not obtained in time.</summary>
    private const int SqliteBusy = 5;

    private static readonly ConcurrentDictionary<string, Turn> TurnsByFile = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<DbConnection, Turn> Holders = new(ReferenceEqualityComparer.Instance);

    /// <summary>Transactions of this process waiting for their turn on <paramref name="file"/> right now (tests and diagnostics).</summary>
    internal static int WaitingOn(string file) => TurnsByFile.TryGetValue(Path.GetFullPath(file), out var turn) ? Volatile.Read(ref turn.Waiting) : 0;

    /// <summary>Waits for the connection's file's turn, then begins the transaction; the turn is given back if it fails.</summary>
    public static async ValueTask<DbTransaction> BeginAsync(SqliteConnection connection, System.Data.IsolationLevel isolationLevel, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (TurnToWaitFor(connection) is { } turn)
        {
            Interlocked.Increment(ref turn.Waiting);
            bool taken;
            try
            {
                taken = await turn.Gate.WaitAsync(timeout, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref turn.Waiting);
            }

            Hold(connection, turn, taken, timeout);
        }

        return Begin(connection, isolationLevel);
    }

    /// <summary>The synchronous <see cref="BeginAsync"/>, for EF's synchronous API: it blocks its thread as the lock would.</summary>
    public static DbTransaction BeginBlocking(SqliteConnection connection, System.Data.IsolationLevel isolationLevel, TimeSpan timeout)
    {
        if (TurnToWaitFor(connection) is { } turn)
        {
            Interlocked.Increment(ref turn.Waiting);
            bool taken;
            try
            {
                taken = turn.Gate.Wait(timeout);
            }
            finally
            {
                Interlocked.Decrement(ref turn.Waiting);
            }

            Hold(connection, turn, taken, timeout);
        }

        return Begin(connection, isolationLevel);
    }

    /// <summary>Gives back the connection's turn if it holds one; safe to call on every end of a transaction and connection.</summary>
    public static void GiveBack(DbConnection connection)
    {
        if (Holders.TryRemove(connection, out var turn))
        {
            turn.Gate.Release();
        }
    }

    private static DbTransaction Begin(SqliteConnection connection, System.Data.IsolationLevel isolationLevel)
    {
        try
        {
            // What EF would call itself: BEGIN IMMEDIATE unless the isolation level asks for a deferred transaction.
            return connection.BeginTransaction(isolationLevel);
        }
        catch
        {
            GiveBack(connection);
            throw;
        }
    }

    private static void Hold(SqliteConnection connection, Turn turn, bool taken, TimeSpan timeout)
    {
        if (!taken)
        {
            throw new SqliteException(
                $"SQLite Error 5: 'database is locked' (this process's other writers kept the write lock for over {timeout.TotalMilliseconds:0} ms).", SqliteBusy);
        }

        Holders[connection] = turn;
    }

    /// <summary>
    /// The turn the connection must wait for: none for in-memory and temporary databases (not shared by file), and none
    /// when the connection holds its file's turn already (its last transaction was disposed unfinished on a connection its
    /// user opened, and it is still the only one of this process that may write).
    /// </summary>
    private static Turn? TurnToWaitFor(SqliteConnection connection)
    {
        var file = connection.DataSource; // the full path of the open main database
        if (string.IsNullOrEmpty(file) || file == ":memory:" || Holders.ContainsKey(connection))
        {
            return null;
        }

        return TurnsByFile.GetOrAdd(file, static _ => new Turn());
    }

    private sealed class Turn
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public int Waiting;
    }
}
