using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Retention;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.IntegrationTests.Support;
using Retail.Testing;

namespace Retail.BuildingBlocks.IntegrationTests.Outbox;

/// <summary>
/// "Delivered events and inbox receipts are kept for Outbox:Retention, then deleted; undelivered events and dead letters
/// stay." Every check counts the rows left in the module's database.
/// </summary>
public sealed class OutboxRetentionTests
{
    private static OutboxRetention Retention(SqliteModuleHost host) =>
        new(host.Services, host.Time, Options.Create(new OutboxOptions()), NullLogger<OutboxRetention>.Instance);

    [Fact]
    public async Task Delivered_events_and_their_receipts_older_than_the_retention_are_deleted_and_nothing_else()
    {
        await using var host = await SqliteModuleHost.StartAsync(SqliteModuleHost.TwoSubscribers);
        var old = new[] { host.NewWidgetCreated("old-1"), host.NewWidgetCreated("old-2") };
        await host.PublishAsync(old);
        (await host.RelayAsync()).ShouldBe(2);
        host.Time.Advance(TimeSpan.FromDays(7));
        var recent = host.NewWidgetCreated("recent");
        await host.PublishAsync(recent);
        (await host.RelayAsync()).ShouldBe(1);
        // Written 7 days ago and never delivered (no relay since), and one given up on then.
        var undelivered = host.NewWidgetCreated("undelivered", TimeSpan.FromDays(-7));
        var deadLetter = host.NewWidgetCreated("dead", TimeSpan.FromDays(-7));
        await host.WithContextAsync(db =>
        {
            db.OutboxMessages.Add(OutboxMessage.From(undelivered));
            var dead = OutboxMessage.From(deadLetter);
            dead.Attempts = 5;
            dead.DeadLetteredAt = deadLetter.OccurredAt;
            db.OutboxMessages.Add(dead);
            return db.SaveChangesAsync();
        });

        // Exactly 7 days after the first deliveries: not older than the retention yet.
        (await Retention(host).RunAsync(TestModule.Name)).ShouldBe(new OutboxRetentionResult(0, 0));
        host.Time.Advance(TimeSpan.FromTicks(1));
        var deleted = await Retention(host).RunAsync(TestModule.Name);

        deleted.ShouldBe(new OutboxRetentionResult(OutboxRows: 2, InboxRows: 4));
        (await host.OutboxRowsAsync()).Select(m => m.Id).ShouldBe([undelivered.EventId, deadLetter.EventId, recent.EventId], ignoreOrder: true);
        (await host.InboxAsync()).Select(m => m.EventId).ShouldBe([recent.EventId, recent.EventId]);
        (await Retention(host).RunAsync(TestModule.Name)).ShouldBe(new OutboxRetentionResult(0, 0));
    }

    [Fact]
    public async Task A_backlog_larger_than_a_chunk_goes_in_chunks_picked_through_the_ProcessedAt_indexes()
    {
        var plans = new QueryPlanLog();
        await using var host = await SqliteModuleHost.StartAsync(services => services.AddSingleton<IInterceptor>(plans));
        var rows = ChunkedDelete.ChunkSize * 2 + 500;
        var processedAt = host.Time.GetUtcNow();
        await host.WithContextAsync(db =>
        {
            for (var i = 0; i < rows; i++)
            {
                var message = OutboxMessage.From(host.NewWidgetCreated($"bulk-{i}"));
                message.ProcessedAt = processedAt;
                db.OutboxMessages.Add(message);
                db.InboxMessages.Add(new InboxMessage { EventId = message.Id, Handler = "projection", Type = message.Type, ProcessedAt = processedAt });
            }

            return db.SaveChangesAsync();
        });
        host.Time.Advance(TimeSpan.FromDays(8));

        var recorded = plans.Record();
        var deleted = await Retention(host).RunAsync(TestModule.Name);
        var outboxReads = recorded.Where(p => p.Sql.Contains("FROM \"testing_OutboxMessages\"")).ToList();
        var inboxReads = recorded.Where(p => p.Sql.Contains("FROM \"testing_InboxMessages\"")).ToList();

        deleted.ShouldBe(new OutboxRetentionResult(rows, rows));
        (await host.OutboxRowsAsync()).ShouldBeEmpty();
        (await host.InboxAsync()).ShouldBeEmpty();
        outboxReads.ShouldAllBe(p => p.Steps.Any(s => s.Contains("USING INDEX IX_testing_OutboxMessages_ProcessedAt_OccurredAt (ProcessedAt>? AND ProcessedAt<?)")));
        outboxReads.Count.ShouldBe(4, "three chunks and the empty read that ends the loop");
        inboxReads.ShouldAllBe(p => p.Steps.Any(s => s.Contains("USING INDEX IX_testing_InboxMessages_ProcessedAt (ProcessedAt<?)")));
        inboxReads.Count.ShouldBe(4);
    }
}
