using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Schedules;
using Retail.Modules.Partners.Domain.Feeds;
using Retail.Modules.Partners.Domain.Schedules;

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
