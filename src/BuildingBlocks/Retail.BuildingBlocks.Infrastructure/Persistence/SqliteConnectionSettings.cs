using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

/// <summary>
/// Applies the per-connection SQLite settings every time a connection opens (pooled connections included).
/// <c>busy_timeout</c> lets SQLite itself wait for the single write lock in short steps (1–100 ms); without it
/// Microsoft.Data.Sqlite's own retry sleeps 150 ms per collision, which turns every collision between two writers (a
/// feed batch and the outbox relay, say) into a long stall. <c>synchronous</c> is the durability level (see
/// <see cref="DatabaseOptions.SqliteSynchronous"/>).
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    private readonly string _pragmas;

    private SqliteConnectionSettings(string pragmas) => _pragmas = pragmas;

    /// <summary>One instance per distinct setting, so EF's options (and its service provider cache) stay the same per module.</summary>
    public static SqliteConnectionSettings For(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pragmas = string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(int)options.SqliteBusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {options.SqliteSynchronous.ToString().ToUpperInvariant()};");
        return Instances.GetOrAdd(pragmas, p => new SqliteConnectionSettings(p));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SqliteConnectionSettings> Instances = new(StringComparer.Ordinal);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
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
