using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Schedules;
using Retail.Modules.Partners.Domain.Feeds;
using Retail.Modules.Partners.Domain.Schedules;
using Retail.Modules.Partners.Infrastructure.Schedules;

namespace Retail.Modules.Partners.IntegrationTests;

/// <summary>A scheduled run whose feed cannot be fetched ends as a logged failed fetch, never as a failed Hangfire job.</summary>
public sealed class ScheduledFetchTests(PartnersFixture fixture) : IClassFixture<PartnersFixture>
{
    [Fact]
    public async Task A_feed_host_that_does_not_resolve_is_a_failed_fetch_logged_like_the_others_and_the_run_ends_normally()
    {
        var (partner, _) = await fixture.NewPartnerAsync();
        var schedule = FeedSchedule.Create(partner.Id, "https://feeds.unknown-partner.test/products.csv", "0 3 * * *", FeedKind.Delta, fixture.Time.GetUtcNow());
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
            db.FeedSchedules.Add(schedule);
            await db.SaveChangesAsync();
        }

        fixture.Resolver.Answer = _ => throw new SocketException((int)SocketError.HostNotFound);
        var mark = fixture.Log.Mark();
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ScheduledFeedRunner>().RunAsync(schedule.Id, CancellationToken.None);
        }

        fixture.Log.Since(mark).ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains($"Scheduled feed {schedule.Id} could not be fetched", StringComparison.Ordinal));
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
            (await db.FeedSchedules.AsNoTracking().SingleAsync(s => s.Id == schedule.Id)).LastRunAt.ShouldBeNull();
            (await db.FeedJobs.CountAsync(j => j.PartnerId == partner.Id)).ShouldBe(0);
        }
    }
}

/// <summary>
/// The module with a feed fetch timeout of a fraction of a second (production: 5 minutes) and loopback allowed, so a
/// "partner's server" that never answers times the fetch out quickly.
/// </summary>
public sealed class ShortFetchTimeoutFixture : PartnersFixture
{
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromMilliseconds(200);

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Partners:AllowPrivateCallbackUrls"] = "true";
        return settings;
    }

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddHttpClient<IFeedFetcher, HttpFeedFetcher>(c => c.Timeout = FetchTimeout);
}

/// <summary>
/// A fetch that hits the client's timeout is a failed fetch like the others; only a cancellation of the run itself
/// (Hangfire stopping it) still ends the run with the cancellation.
/// </summary>
public sealed class ScheduledFetchTimeoutTests(ShortFetchTimeoutFixture fixture) : IClassFixture<ShortFetchTimeoutFixture>
{
    [Fact]
    public async Task A_feed_server_that_never_answers_is_a_failed_fetch_logged_like_the_others_and_the_run_ends_normally()
    {
        using var silent = new SilentServer();
        var (partner, _) = await fixture.NewPartnerAsync();
        var schedule = await ScheduleAsync(partner.Id, $"http://127.0.0.1:{silent.Port}/products.csv");
        var mark = fixture.Log.Mark();

        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ScheduledFeedRunner>().RunAsync(schedule.Id, CancellationToken.None);
        }

        var logged = fixture.Log.Since(mark);
        logged.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains($"Fetching scheduled feed http://127.0.0.1:{silent.Port}/products.csv failed", StringComparison.Ordinal));
        logged.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains($"Scheduled feed {schedule.Id} could not be fetched", StringComparison.Ordinal));
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
            (await db.FeedSchedules.AsNoTracking().SingleAsync(s => s.Id == schedule.Id)).LastRunAt.ShouldBeNull();
            (await db.FeedJobs.CountAsync(j => j.PartnerId == partner.Id)).ShouldBe(0);
        }
    }

    [Fact]
    public async Task A_cancelled_run_still_ends_with_the_cancellation_and_is_not_logged_as_a_failed_fetch()
    {
        using var silent = new SilentServer();
        var (partner, _) = await fixture.NewPartnerAsync();
        var schedule = await ScheduleAsync(partner.Id, $"http://127.0.0.1:{silent.Port}/products.csv");
        using var stop = new CancellationTokenSource();
        await using var scope = fixture.Services.CreateAsyncScope();
        var fetcher = scope.ServiceProvider.GetRequiredService<IFeedFetcher>();
        var mark = fixture.Log.Mark();
        await stop.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => fetcher.FetchAsync(schedule.Url, 1_000_000, stop.Token));

        fixture.Log.Since(mark).ShouldNotContain(e => e.Message.Contains("Fetching scheduled feed", StringComparison.Ordinal));
    }

    private async Task<FeedSchedule> ScheduleAsync(Guid partnerId, string url)
    {
        var schedule = FeedSchedule.Create(partnerId, url, "0 3 * * *", FeedKind.Delta, fixture.Time.GetUtcNow());
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
        db.FeedSchedules.Add(schedule);
        await db.SaveChangesAsync();
        return schedule;
    }

    /// <summary>
    /// A listening loopback port that never accepts: the connection completes in the backlog and the request is sent, but no
    /// answer ever comes, so only the client's timeout ends the wait.
    /// </summary>
    private sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public SilentServer() => _listener.Start();

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public void Dispose() => _listener.Stop();
    }
}
