using Microsoft.Extensions.Configuration;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

/// <summary>
/// Microsoft.Data.Sqlite waits for SQLite's single write lock by sleeping on the calling thread (its async methods run
/// synchronously). In a checkout burst every waiting writer holds a thread-pool thread, the pool grows only slowly,
/// and everything else on the pool (Redis replies, timers, other requests) starves: timeouts and 500s follow. With
/// SQLite the pool therefore starts with enough threads for a burst of writers. SQL Server's client is truly
/// asynchronous and keeps the runtime's default. <c>Hosting:MinThreads</c> overrides the number.
/// </summary>
public static class ThreadPoolTuning
{
    public const int SqliteMinThreads = 200;

    public static int Apply(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration.GetValue<int?>("Hosting:MinThreads");
        var wanted = configured ?? (configuration.ReadDatabaseOptions().Provider == DatabaseProvider.Sqlite ? SqliteMinThreads : 0);
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (wanted > workers)
        {
            ThreadPool.SetMinThreads(wanted, Math.Max(io, wanted));
        }

        ThreadPool.GetMinThreads(out workers, out _);
        return workers;
    }
}
