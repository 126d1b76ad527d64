using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

/// <summary>
/// What <c>dotnet ef</c> uses to build a module's SQLite context when adding migrations (build/migrations.sh). A module
/// declares one line: <c>internal sealed class XSqliteDesignTimeFactory() : SqliteDesignTimeFactory&lt;XSqliteDbContext&gt;("x", o =&gt; new(o));</c>
/// </summary>
public abstract class SqliteDesignTimeFactory<TContext>(string schema, Func<DbContextOptions<TContext>, TContext> create) : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TContext>();
        ModuleDatabaseRegistration.ConfigureSqlite(options, DatabaseOptions.DefaultSqliteConnectionString, schema);
        return create(options.Options);
    }
}

/// <summary>The SQL Server counterpart of <see cref="SqliteDesignTimeFactory{TContext}"/>; no server is contacted.</summary>
public abstract class SqlServerDesignTimeFactory<TContext>(string schema, Func<DbContextOptions<TContext>, TContext> create) : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TContext>();
        ModuleDatabaseRegistration.ConfigureSqlServer(options, "Server=design-time;Database=Retail;Trusted_Connection=True", schema);
        return create(options.Options);
    }
}
