using System.Net.Sockets;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.Modules.Partners.Application;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Keys;
using Retail.Modules.Partners.Application.Schedules;
using Retail.Modules.Partners.Domain.Schedules;
using Retail.Modules.Partners.Infrastructure.Outbound;

namespace Retail.Modules.Partners.Infrastructure.Schedules;

/// <summary>The Hangfire entry point of a scheduled feed run.</summary>
public sealed class ScheduledFeedJob(ScheduledFeedRunner runner)
{
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task RunAsync(Guid scheduleId, CancellationToken cancellationToken) => runner.RunAsync(scheduleId, cancellationToken);
}

/// <summary>Feed schedules as Hangfire recurring jobs (cron in UTC); the next run is Hangfire's own.</summary>
internal sealed class HangfireFeedScheduler(IRecurringJobManager recurring, IBackgroundJobClient jobs, JobStorage storage) : IFeedScheduler
{
    public bool Register(FeedSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        try
        {
            var id = schedule.Id;
            recurring.AddOrUpdate<ScheduledFeedJob>(schedule.RecurringJobId, job => job.RunAsync(id, CancellationToken.None), schedule.Cron,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public void Remove(FeedSchedule schedule) => recurring.RemoveIfExists(schedule.RecurringJobId);

    public void RunNow(FeedSchedule schedule)
    {
        var id = schedule.Id;
        jobs.Enqueue<ScheduledFeedJob>(job => job.RunAsync(id, CancellationToken.None));
    }

    public DateTimeOffset? NextRun(FeedSchedule schedule)
    {
        using var connection = storage.GetConnection();
        var next = connection.GetRecurringJobs([schedule.RecurringJobId]).FirstOrDefault()?.NextExecution;
        return next is { } utc ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) : null;
    }
}

/// <summary>
/// Downloads a scheduled feed URL into storage within the size limit; private addresses only in development. The host is
/// checked here and again, binding, by the client's connect step (<see cref="PublicAddressConnector"/>). A host that does not
/// resolve, a connection error or the client's timeout is a failed fetch (logged, nothing stored).
/// </summary>
internal sealed partial class HttpFeedFetcher(HttpClient http, IFeedStorage storage, PublicAddressConnector addresses, IOptions<PartnersOptions> options, ILogger<HttpFeedFetcher> logger) : IFeedFetcher
{
    public async Task<(StoredFeed? Feed, string? ContentType)> FetchAsync(string url, long maxBytes, CancellationToken cancellationToken)
    {
        if (!CallbackUrlPolicy.IsAllowed(url, options.Value.AllowPrivateCallbackUrls))
        {
            return (null, null);
        }

        try
        {
            // Inside the try: a host that does not resolve (SocketException) is a failed fetch like any other, not a failed job.
            if (await addresses.ResolveAllowedAsync(new Uri(url).Host, cancellationToken) is null)
            {
                return (null, null);
            }

            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > maxBytes)
            {
                return (null, null);
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return (await storage.SaveAsync(body, maxBytes, cancellationToken), response.Content.Headers.ContentType?.MediaType);
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException
            // The client's timeout (a server that never answers) is an OperationCanceledException too, but the run was not
            // cancelled: it is a failed fetch, not a failed Hangfire job. A cancelled run still ends with its cancellation.
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogFetchFailed(logger, ex, url);
            return (null, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching scheduled feed {Url} failed")]
    private static partial void LogFetchFailed(ILogger logger, Exception exception, string url);
}

/// <summary>At start, registers the recurring job of every active schedule (in-memory Hangfire storage forgets them).</summary>
internal sealed class FeedScheduleRegistration(IServiceScopeFactory scopes, ILogger<FeedScheduleRegistration> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
            var scheduler = scope.ServiceProvider.GetRequiredService<IFeedScheduler>();
            foreach (var schedule in await db.FeedSchedules.AsNoTracking().Where(s => !s.IsPaused).ToListAsync(stoppingToken))
            {
                scheduler.Register(schedule);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Feed schedules could not be registered at start");
        }
    }
}
