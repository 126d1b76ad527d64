using Hangfire;
using Hangfire.InMemory;
using Hangfire.SqlServer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Infrastructure.Idempotency;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.Infrastructure.Jobs;

public sealed class JobsOptions
{
    /// <summary>Run a Hangfire server in this instance (off for pure web replicas or some tests).</summary>
    public bool ServerEnabled { get; set; } = true;

    /// <summary>Workers of the server for the <c>default</c> queue (outbox sweeps, emails, short jobs).</summary>
    public int WorkerCount { get; set; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>Worker counts of the dedicated queues by name (<c>Jobs:Queues:feeds</c>), overriding each module's default.</summary>
    public Dictionary<string, int> Queues { get; set; } = [];
}

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Hangfire on SQL Server in production and in memory in the embedded default. The storage is registered per host
    /// (not only through Hangfire's static <c>JobStorage.Current</c>) so two hosts in one process never share jobs.
    /// </summary>
    public static IServiceCollection AddRetailJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var database = configuration.ReadDatabaseOptions();
        var jobs = new JobsOptions();
        configuration.GetSection("Jobs").Bind(jobs);
        services.AddCheckedOptions<JobsOptions, JobsOptionsValidator>(configuration.GetSection("Jobs"));

        JobStorage storage = database.Provider == DatabaseProvider.SqlServer
            ? new SqlServerStorage(database.ConnectionString, new SqlServerStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true })
            : new InMemoryStorage(new InMemoryStorageOptions());
        services.AddSingleton(storage);
        services.AddHangfire(cfg => cfg
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        if (jobs.ServerEnabled)
        {
            // From the checked options: a bad count stops the start with the setting named, before Hangfire sees it.
            services.AddHangfireServer((sp, o) => o.WorkerCount = sp.GetRequiredService<IOptions<JobsOptions>>().Value.WorkerCount);
        }

        services.AddHostedService<RecurringJobsRegistration>();
        return services;
    }

    /// <summary>
    /// A queue served by its own Hangfire server with its own workers, so long-running jobs (a million-row feed) never
    /// occupy the workers that deliver the outbox and send emails. Jobs choose it with <c>[Queue(name)]</c>.
    /// </summary>
    public static IServiceCollection AddDedicatedJobQueue(this IServiceCollection services, IConfiguration configuration, string queue, int defaultWorkers)
    {
        // Known to the settings check, which refuses a Jobs:Queues key that names no queue.
        services.AddSingleton(new DedicatedJobQueue(queue));
        var jobs = new JobsOptions();
        configuration.GetSection("Jobs").Bind(jobs);
        if (jobs.ServerEnabled)
        {
            services.AddHangfireServer((sp, o) =>
            {
                // From the checked options (JobsOptionsValidator): a configured count below one stops the start.
                var queues = sp.GetRequiredService<IOptions<JobsOptions>>().Value.Queues;
                o.Queues = [queue];
                o.WorkerCount = queues.TryGetValue(queue, out var configured) ? configured : defaultWorkers;
                o.ServerName = $"{Environment.MachineName}:{queue}:{Guid.NewGuid():N}";
            });
        }

        return services;
    }
}

/// <summary>
/// Registers the recurring jobs at startup: one outbox sweep, one outbox retention and one idempotency-record retention per
/// module with an outbox (the same modules have the idempotency table).
/// </summary>
internal sealed class RecurringJobsRegistration(
    IRecurringJobManager recurringJobs,
    IEnumerable<ModuleDatabase> modules,
    IOptions<OutboxOptions> outbox,
    IOptions<IdempotencyOptions> idempotency) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var module in modules.Where(m => m.HasOutbox))
        {
            var schema = module.Schema;
            recurringJobs.AddOrUpdate<OutboxRelay>($"outbox-sweep-{schema}", relay => relay.RunAsync(schema, CancellationToken.None), outbox.Value.SweepCron);
            recurringJobs.AddOrUpdate<OutboxRetention>($"outbox-retention-{schema}", retention => retention.RunAsync(schema, CancellationToken.None), outbox.Value.RetentionCron);
            recurringJobs.AddOrUpdate<IdempotencyRetention>($"idempotency-retention-{schema}", retention => retention.RunAsync(schema, CancellationToken.None), idempotency.Value.RetentionCron);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
