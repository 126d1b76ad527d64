namespace Retail.BuildingBlocks.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>The one place the provider is chosen: <c>Database:Provider</c> and <c>ConnectionStrings:Retail</c>.</summary>
public sealed class DatabaseOptions
{
    public const string DefaultSqliteConnectionString = "Data Source=./data/retail.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public string ConnectionString { get; set; } = DefaultSqliteConnectionString;

    /// <summary>Apply migrations when the app starts (embedded default). Production runs <c>--migrate</c> first instead.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>How long a SQLite connection waits for the write lock before the command fails (SQLITE_BUSY).</summary>
    public TimeSpan SqliteBusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>SQLite durability with WAL: <c>Full</c> (default) fsyncs every commit; <c>Normal</c> trades power-cut durability of the last commits for write speed.</summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Full;
}
