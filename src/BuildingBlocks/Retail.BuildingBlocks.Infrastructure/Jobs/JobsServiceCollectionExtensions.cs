using Hangfire;
using Hangfire.InMemory;
using Hangfire.SqlServer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.Infrastructure.Jobs;

public sealed class JobsOptions
{
    /// <summary>Run a Hangfire server in this instance (off for pure web replicas or some tests).</summary>
    public bool ServerEnabled { get; set; } = true;

    public int WorkerCount { get; set; } = Math.Max(4, Environment.ProcessorCount * 2);
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
        services.Configure<JobsOptions>(configuration.GetSection("Jobs"));

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
            services.AddHangfireServer((_, o) => o.WorkerCount = jobs.WorkerCount);
        }

        services.AddHostedService<RecurringJobsRegistration>();
        return services;
    }
}

/// <summary>Registers the recurring jobs at startup: one outbox sweep per module with an outbox.</summary>
internal sealed class RecurringJobsRegistration(
    IRecurringJobManager recurringJobs,
    IEnumerable<ModuleDatabase> modules,
    IOptions<OutboxOptions> outbox) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var module in modules.Where(m => m.HasOutbox))
        {
            var schema = module.Schema;
            recurringJobs.AddOrUpdate<OutboxRelay>($"outbox-sweep-{schema}", relay => relay.RunAsync(schema, CancellationToken.None), outbox.Value.SweepCron);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
