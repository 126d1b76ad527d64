using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

/// <summary>
/// How a SQLite connection of this process waits for the file's single write lock: it sleeps until a writer of this
/// process releases the lock, not for fixed steps. SQLite's own busy handler (<c>busy_timeout</c>) sleeps 1, 2, 5, 10,
/// 15, 20, 25, 25, 25, 50, 50, 100, 100 … ms between tries, so with several writers at once (webhooks acknowledged at
/// hundreds per second next to their worker and the outbox relay, a checkout storm) most of the waiting is done asleep
/// while the lock is already free, and the unlucky writer waits hundreds of milliseconds.
/// <para>
/// Two native hooks per connection: a busy handler that waits on a process-wide signal (and still gives up after the
/// configured timeout, with SQLITE_BUSY as before), and a WAL hook — SQLite calls it after every commit, once the write
/// lock is released — that raises the signal. A transaction that ends without writing (rolled back, or committed empty)
/// raises it through <see cref="SqliteConnectionSettings"/>'s transaction callbacks. Registering a WAL hook replaces
/// SQLite's automatic checkpoint, so the hook runs the same passive checkpoint at the same 1,000-page threshold. Writers
/// of other processes on the same file (two app instances in the chaos setup) raise no signal here: a waiter looks again
/// at least every <see cref="LongestWait"/>.
/// </para>
/// <para>The lock itself, its order and the timeout are SQLite's as before: nothing here can hold a lock or deadlock.</para>
/// </summary>
internal static unsafe partial class SqliteWriteLockWait
{
    /// <summary>SQLite's default automatic checkpoint threshold, in WAL pages (<c>SQLITE_DEFAULT_WAL_AUTOCHECKPOINT</c>).</summary>
    internal const int CheckpointPages = 1000;

    /// <summary>The longest a waiter sleeps before trying again without a signal (a writer in another process).</summary>
    internal static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(5);

    private const string Library = "e_sqlite3";

    // A plain object, not System.Threading.Lock: waiters need Monitor.Wait / Pulse.
    private static readonly object Released = new();
    private static int s_waiting;
    private static long s_signals;

    /// <summary>When this thread's current wait for the lock began (a busy handler runs on the thread of its statement).</summary>
    [ThreadStatic]
    private static long t_waitingSince;

    /// <summary>How many times a writer of this process released the lock while another waited (tests and diagnostics).</summary>
    internal static long Signals => Interlocked.Read(ref s_signals);

    /// <summary>Connections of this process waiting for the write lock right now (tests and diagnostics).</summary>
    internal static int Waiting => Volatile.Read(ref s_waiting);

    /// <summary>Installs the busy handler (giving up after <paramref name="timeout"/>) and the commit signal on an open connection.</summary>
    public static void Attach(SqliteConnection connection, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var db = connection.Handle?.DangerousGetHandle() ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var milliseconds = (nint)Math.Max(0, (long)timeout.TotalMilliseconds);
        Check(sqlite3_busy_handler(db, &OnBusy, milliseconds), "sqlite3_busy_handler");
        sqlite3_wal_hook(db, &OnCommitted, CheckpointPages);
    }

    /// <summary>True when the connection is inside a transaction (SQLite's autocommit mode is off).</summary>
    public static bool InTransaction(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var db = connection.Handle?.DangerousGetHandle() ?? throw new InvalidOperationException("The SQLite connection is not open.");
        return sqlite3_get_autocommit(db) == 0;
    }

    /// <summary>
    /// A writer of this process has released the write lock: wakes one waiter, the longest waiting, to take it. Only one
    /// can: waking every waiter on every release (as this did first) made a checkout storm's ~60 waiting writers each
    /// wake, fail and sleep again hundreds of times a second, and on one core the lock's next holder then waited for CPU
    /// behind them. A woken waiter that loses the lock to a newcomer waits again and is woken by that writer's release;
    /// a signal that finds nobody to take it (a waiter that just gave up) costs the others at most their next look.
    /// </summary>
    public static void Signal()
    {
        if (Volatile.Read(ref s_waiting) == 0)
        {
            return;
        }

        lock (Released)
        {
            Interlocked.Increment(ref s_signals);
            Monitor.Pulse(Released);
        }
    }

    /// <summary>SQLite's busy handler: 0 gives up (the statement fails with SQLITE_BUSY), anything else tries again.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnBusy(nint timeoutMilliseconds, int count)
    {
        var now = Stopwatch.GetTimestamp();
        if (count == 0)
        {
            t_waitingSince = now;
        }

        var left = timeoutMilliseconds - (long)Stopwatch.GetElapsedTime(t_waitingSince, now).TotalMilliseconds;
        if (left <= 0)
        {
            return 0;
        }

        Interlocked.Increment(ref s_waiting);
        try
        {
            lock (Released)
            {
                Monitor.Wait(Released, (int)Math.Min(left, (long)LongestWait.TotalMilliseconds));
            }
        }
        finally
        {
            Interlocked.Decrement(ref s_waiting);
        }

        return 1;
    }

    /// <summary>SQLite's WAL hook, called after a commit with the write lock already released.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnCommitted(nint checkpointPages, nint db, nint schema, int pages)
    {
        Signal();
        if (pages >= checkpointPages)
        {
            // What SQLite's automatic checkpoint does in this place (sqlite3WalDefaultHook): a passive checkpoint, which
            // never waits for and never blocks writers. Its outcome is not the committing statement's business.
            _ = sqlite3_wal_checkpoint(db, schema);
        }

        return 0; // SQLITE_OK
    }

    private static void Check(int result, string function)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"{function} failed with SQLite result code {result}.");
        }
    }

    [LibraryImport(Library)]
    private static partial int sqlite3_busy_handler(nint db, delegate* unmanaged[Cdecl]<nint, int, int> handler, nint argument);

    [LibraryImport(Library)]
    private static partial nint sqlite3_wal_hook(nint db, delegate* unmanaged[Cdecl]<nint, nint, nint, int, int> hook, nint argument);

    [LibraryImport(Library)]
    private static partial int sqlite3_wal_checkpoint(nint db, nint schema);

    [LibraryImport(Library)]
    private static partial int sqlite3_get_autocommit(nint db);
}
