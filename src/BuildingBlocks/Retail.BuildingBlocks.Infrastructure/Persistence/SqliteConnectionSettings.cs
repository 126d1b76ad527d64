using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

/// <summary>
/// Applies the per-connection SQLite settings every time a connection opens (pooled connections included):
/// <c>synchronous</c> is the durability level (see <see cref="DatabaseOptions.SqliteSynchronous"/>), and the wait for the
/// single write lock is <see cref="SqliteWriteLockWait"/>'s — woken when a writer of this process releases the lock, giving
/// up after <see cref="DatabaseOptions.SqliteBusyTimeout"/>. Without any busy handler Microsoft.Data.Sqlite's own retry
/// sleeps 150 ms per collision; SQLite's <c>busy_timeout</c> sleeps in growing steps up to 100 ms. A transaction that ends
/// without writing anything releases the lock without a commit for SQLite to report, so its end is signalled from here.
/// Before a transaction begins it waits, without a thread, for this process's turn on the file (<see cref="SqliteWriteTurn"/>);
/// every end of a transaction or connection seen here gives the turn back.
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor, IDbTransactionInterceptor
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SqliteConnectionSettings> Instances = new(StringComparer.Ordinal);

    private readonly string _pragmas;
    private readonly TimeSpan _busyTimeout;

    private SqliteConnectionSettings(string pragmas, TimeSpan busyTimeout)
    {
        _pragmas = pragmas;
        _busyTimeout = busyTimeout;
    }

    /// <summary>One instance per distinct setting, so EF's options (and its service provider cache) stay the same per module.</summary>
    public static SqliteConnectionSettings For(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var synchronous = options.SqliteSynchronous.ToString().ToUpperInvariant();
        var key = string.Create(CultureInfo.InvariantCulture, $"{synchronous}|{options.SqliteBusyTimeout.Ticks}");
        return Instances.GetOrAdd(key, _ => new SqliteConnectionSettings($"PRAGMA synchronous = {synchronous};", options.SqliteBusyTimeout));
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = LeftInTransaction(connection, eventData) ? "ROLLBACK; " + _pragmas : _pragmas;
            command.ExecuteNonQuery();
        }

        SqliteWriteLockWait.Attach((SqliteConnection)connection, _busyTimeout);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = LeftInTransaction(connection, eventData) ? "ROLLBACK; " + _pragmas : _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        SqliteWriteLockWait.Attach((SqliteConnection)connection, _busyTimeout);
    }

    /// <summary>
    /// A pooled connection should never come back inside a transaction: the provider rolls its own transactions back on
    /// close, but not one begun with raw SQL (<c>BEGIN</c> through a command), and such a connection would hold the write
    /// lock for every later user. Whatever was left is not anyone's work any more: it is rolled back before the
    /// connection is used, and logged. (The storm failures once blamed on this were Microsoft.Data.Sqlite lending one
    /// pooled connection to two owners, fixed in 10.0.14 — see <c>SqliteConnectionPoolTests</c>.)
    /// </summary>
    private static bool LeftInTransaction(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!SqliteWriteLockWait.InTransaction((SqliteConnection)connection))
        {
            return false;
        }

        eventData.Context?.GetInfrastructure().GetService<ILoggerFactory>()?.CreateLogger<SqliteConnectionSettings>()
            .LogWarning("A pooled SQLite connection was opened inside a transaction left by its previous user; rolled back before use");
        return true;
    }

    /// <summary>A transaction waits for this process's write turn on the file (<see cref="SqliteWriteTurn"/>), then begins.</summary>
    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        return result.HasResult
            ? result
            : InterceptionResult<DbTransaction>.SuppressWithResult(SqliteWriteTurn.BeginBlocking((SqliteConnection)connection, eventData.IsolationLevel, _busyTimeout));
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        return result.HasResult
            ? result
            : InterceptionResult<DbTransaction>.SuppressWithResult(
                await SqliteWriteTurn.BeginAsync((SqliteConnection)connection, eventData.IsolationLevel, _busyTimeout, cancellationToken));
    }

    // A transaction disposed without commit or rollback is rolled back by the provider, then EF closes the connection.
    public override void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Ended(connection);

    public override Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Ended(connection);
        return Task.CompletedTask;
    }

    // A context disposed with its connection still open (opened by its user) does not close it first.
    public override void ConnectionDisposed(DbConnection connection, ConnectionEndEventData eventData) => Ended(connection);

    public override Task ConnectionDisposedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Ended(connection);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Ended(eventData);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A transaction ended (a failed one may still be open: giving its turn back early only sends the next writer to
    /// SQLite's lock, which still waits for it). The committed transaction no longer knows its connection; its context does.
    /// </summary>
    private static void Ended(TransactionEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            Ended(context.Database.GetDbConnection());
        }
        else
        {
            SqliteWriteLockWait.Signal();
        }
    }

    private static void Ended(DbConnection connection)
    {
        SqliteWriteTurn.GiveBack(connection);
        SqliteWriteLockWait.Signal();
    }
}

/// <summary>SQLite's <c>synchronous</c> levels that make sense with WAL.</summary>
public enum SqliteSynchronous
{
    /// <summary>WAL synced at checkpoints only: a committed transaction survives an app crash (kill -9), not a power cut.</summary>
    Normal,

    /// <summary>WAL synced at every commit: survives a power cut too, at one fsync per transaction.</summary>
    Full,
}
