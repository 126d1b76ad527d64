using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Infrastructure.Idempotency;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

/// <summary>A module's database context, listed so migrations, health checks and the outbox sweep can find every module.</summary>
public sealed record ModuleDatabase(string Schema, Type ContextType, bool HasOutbox);

public static class ModuleDatabaseRegistration
{
    public static DatabaseOptions ReadDatabaseOptions(this IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new DatabaseOptions();
        configuration.GetSection("Database").Bind(options);
        var connectionString = configuration.GetConnectionString("Retail");
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            options.ConnectionString = connectionString;
        }
        else if (options.Provider == DatabaseProvider.SqlServer)
        {
            throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:Retail is not set.");
        }

        return options;
    }

    /// <summary>
    /// Registers a module's context on the configured provider, with any <see cref="IInterceptor"/> registered in DI (tests count
    /// commands that way). Each provider has its own subclass so that each keeps its
    /// own migrations (<c>Migrations/Sqlite</c>, <c>Migrations/SqlServer</c>) and history table.
    /// </summary>
    public static IServiceCollection AddModuleDatabase<TContext, TSqliteContext, TSqlServerContext>(
        this IServiceCollection services, IConfiguration configuration, string schema)
        where TContext : DbContext
        where TSqliteContext : TContext
        where TSqlServerContext : TContext
    {
        // Pooled: a request that reads three modules creates three contexts, and setting up each new context (EF Core's
        // internal services, its options, the DI around them) was about a quarter of a sold-out checkout's CPU in a storm
        // profile (docs/benchmarks.md, session 16). EF Core resets a pooled context when its scope ends (change tracker,
        // transaction, connection, per-context settings); ModuleDbContext's own state is only WroteOutbox, which a stale
        // value turns into one spare relay nudge at most. The options are built once, so interceptors must be singletons.
        var database = configuration.ReadDatabaseOptions();
        if (database.Provider == DatabaseProvider.SqlServer)
        {
            services.AddDbContextPool<TContext, TSqlServerContext>((sp, o) => ConfigureSqlServer(o, database.ConnectionString, schema).AddInterceptors(sp.GetServices<IInterceptor>()));
        }
        else
        {
            services.AddDbContextPool<TContext, TSqliteContext>((sp, o) => ConfigureSqlite(o, database.ConnectionString, schema, database).AddInterceptors(sp.GetServices<IInterceptor>()));
        }

        var hasOutbox = typeof(ModuleDbContext).IsAssignableFrom(typeof(TContext));
        services.AddSingleton(new ModuleDatabase(schema, typeof(TContext), hasOutbox));
        if (hasOutbox)
        {
            services.AddKeyedScoped<ModuleDbContext>(schema, (sp, _) => (ModuleDbContext)(object)sp.GetRequiredService<TContext>());
            services.AddKeyedScoped(schema, (sp, key) => new IdempotencyStore(sp.GetRequiredKeyedService<ModuleDbContext>(key), sp.GetRequiredService<TimeProvider>()));
            services.AddKeyedScoped(typeof(IUnitOfWork), schema, typeof(EfUnitOfWork<>).MakeGenericType(typeof(TContext)));
        }

        return services;
    }

    /// <summary>SQLite with the module's history table and the per-connection settings of <paramref name="database"/> (defaults when null).</summary>
    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder options, string connectionString, string schema, DatabaseOptions? database = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UseSqlite(connectionString, o => o.MigrationsHistoryTable(ModuleModelConventions.HistoryTable(schema)))
            .AddInterceptors(SqliteConnectionSettings.For(database ?? new DatabaseOptions()));
    }

    public static DbContextOptionsBuilder ConfigureSqlServer(DbContextOptionsBuilder options, string connectionString, string schema)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UseSqlServer(connectionString, o => o.MigrationsHistoryTable("__EFMigrationsHistory", schema).EnableRetryOnFailure(3));
    }

    /// <summary>Creates the SQLite folder, switches the file to WAL, then applies every module's migrations in order.</summary>
    public static async Task MigrateModuleDatabasesAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Retail.Migrations");
        var first = true;
        foreach (var module in scope.ServiceProvider.GetServices<ModuleDatabase>())
        {
            var context = (DbContext)scope.ServiceProvider.GetRequiredService(module.ContextType);
            if (first && context.Database.IsSqlite())
            {
                await PrepareSqliteFileAsync(context, cancellationToken);
            }

            first = false;
            var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migrations to {Module}", pending.Count, module.Schema);
                await context.Database.MigrateAsync(cancellationToken);
            }
        }
    }

    private static async Task PrepareSqliteFileAsync(DbContext context, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(context.Database.GetConnectionString());
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        // WAL lets readers run beside the single writer; the setting is stored in the file.
        await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
