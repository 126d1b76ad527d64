using Microsoft.Extensions.Configuration;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

/// <summary>
/// Microsoft.Data.Sqlite waits for SQLite's single write lock on the calling thread (its async methods run
/// synchronously; <see cref="SqliteWriteLockWait"/> parks the thread until the lock is released). In a checkout burst
/// every waiting writer holds a thread-pool thread, the pool grows only slowly, and everything else on the pool (Redis
/// replies, timers, other requests) starves: timeouts and 500s follow. With SQLite the pool therefore starts with a
/// floor of threads for a burst of writers. (Since session 24 a transaction waits for its turn without a thread —
/// <see cref="SqliteWriteTurn"/> — so the threads blocked there are single-statement writes and other processes' waits.) The floor is also the number of threads the pool keeps running at once
/// when work queues up, so it must not be much larger: at 200 a single-core server ran ~200 threads against its one
/// core (hundreds of thousands of context switches per second); at 32 <c>/health/live</c> under 64 connections went
/// from 14.5k to 19.5k req/s with p99 62 → 12 ms, and the checkout storm got faster too (docs/benchmarks.md, session 15). SQL Server's client is truly
/// asynchronous and keeps the runtime's default. <c>Hosting:MinThreads</c> overrides the number (checked at start by
/// <see cref="HostingOptionsValidator"/>).
/// </summary>
public static class ThreadPoolTuning
{
    public const int SqliteMinThreads = 32;

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
