using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Retail.BuildingBlocks.Infrastructure.Jobs;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.BuildingBlocks.Infrastructure.Redis;

namespace Retail.BuildingBlocks.Infrastructure.Observability;

public static class ObservabilityExtensions
{
    private const string LiveTag = "live";
    private const string ReadyTag = "ready";

    /// <summary>
    /// ServiceDefaults-style telemetry: JSON console logs carrying trace and request ids, OpenTelemetry traces and
    /// metrics (ASP.NET Core, HttpClient, runtime, every <c>Retail.*</c> meter and source), Prometheus scraping, OTLP
    /// export only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and the live/ready health checks.
    /// </summary>
    public static IHostApplicationBuilder AddRetailObservability(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("retail"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Retail.*")
                // EF Core's own counters (queries executed, SaveChanges, contexts): how an operator, and the benchmark,
                // see how often a cached page really reaches the database.
                .AddMeter("Microsoft.EntityFrameworkCore")
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Spans are recorded only when there is somewhere to send them: without a collector every request, handler
            // and outgoing call would still build and tag a span for nobody (docs/benchmarks.md, session 18). Logs and
            // problem details keep their trace ids either way: ASP.NET Core starts the request's activity for the log scopes.
            telemetry.WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddSource("Retail.*"));
            telemetry.UseOtlpExporter();
        }

        builder.Services.TryAddSingleton<IOutboxStatistics, OutboxStatistics>();
        builder.Services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("The process is running."), [LiveTag])
            .AddCheck<ModuleDatabasesHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag])
            .AddCheck<JobServerHealthCheck>("jobs", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>Maps <c>/metrics</c>, <c>/health/live</c> and <c>/health/ready</c> (anonymous: scraped by operators' tools).</summary>
    public static IEndpointRouteBuilder MapRetailObservability(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LiveTag), ResponseWriter = WriteJsonAsync }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteJsonAsync }).AllowAnonymous();
        return endpoints;
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                data = e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, ModuleDbContext.EventJson));
    }
}

/// <summary>Every module's context can run a query against its own outbox; the backlog is reported as data.</summary>
internal sealed class ModuleDatabasesHealthCheck(IOutboxStatistics statistics) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        try
        {
            foreach (var module in await statistics.GetAsync(cancellationToken))
            {
                if (module.HasOutbox)
                {
                    data[$"{module.Module}.outboxBacklog"] = module.Backlog;
                    data[$"{module.Module}.deadLetters"] = module.DeadLetters;
                }
                else if (!module.Reachable)
                {
                    return HealthCheckResult.Unhealthy($"Cannot connect to the database of {module.Module}.", data: data);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The message stays generic: health output is public, the exception goes to the log by the health middleware.
            return HealthCheckResult.Unhealthy("The database is unavailable.", ex, data);
        }

        return HealthCheckResult.Healthy("All module databases answer.", data);
    }
}

/// <summary>Degraded (still 200) when Redis is configured but down: the app serves with per-instance limits and cache.</summary>
internal sealed class RedisHealthCheck(RedisConnection redis, IRedisDegradationState limiter) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConfigured)
        {
            return HealthCheckResult.Healthy("Redis not configured: cache and rate limits are in-process.");
        }

        try
        {
            var latency = await redis.Multiplexer!.GetDatabase().PingAsync();
            return limiter.IsDegraded
                ? HealthCheckResult.Degraded("Redis answers again; rate limits return to Redis shortly.")
                : HealthCheckResult.Healthy($"Redis answers in {latency.TotalMilliseconds:0.0} ms.");
        }
        catch (Exception ex) when (IsRedisFailure(ex, cancellationToken))
        {
            return HealthCheckResult.Degraded("Redis unavailable: serving with per-instance rate limits and cache.", ex);
        }
    }

    /// <summary>
    /// Everything but the caller's own cancellation is Redis being unavailable. The client can also end a PING with an
    /// <see cref="OperationCanceledException"/> of its own (seen once, six seconds into a <c>kill -STOP</c> of the
    /// server, build/chaos/redis-outage.sh): let through, the health check service reported it as a timed-out check,
    /// Unhealthy, and /health/ready answered 503 although the app was serving.
    /// </summary>
    internal static bool IsRedisFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested;
}

internal sealed class JobServerHealthCheck(JobStorage storage, IOptions<JobsOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.ServerEnabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("This instance runs no job server by configuration."));
        }

        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            return Task.FromResult(servers.Count > 0
                ? HealthCheckResult.Healthy($"{servers.Count} job server(s) running.")
                : HealthCheckResult.Degraded("No job server has checked in yet."));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Job storage is unavailable.", ex));
        }
    }
}
