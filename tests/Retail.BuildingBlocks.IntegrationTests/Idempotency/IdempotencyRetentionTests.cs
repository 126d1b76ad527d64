using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Retention;
using Retail.BuildingBlocks.Infrastructure.Idempotency;
using Retail.BuildingBlocks.IntegrationTests.Support;
using Retail.Testing;

namespace Retail.BuildingBlocks.IntegrationTests.Idempotency;

/// <summary>
/// "A finished request is remembered for Idempotency:Retention after it completed, then forgotten; a request in progress is
/// never forgotten here." Every check reads the records left in the module's database.
/// </summary>
public sealed class IdempotencyRetentionTests
{
    private static readonly TimeSpan Retention = new IdempotencyOptions().Retention;

    private static IdempotencyRetention RetentionJob(SqliteModuleHost host) =>
        new(host.Services, host.Time, Options.Create(new IdempotencyOptions()), NullLogger<IdempotencyRetention>.Instance);

    private static IdempotencyRecord Record(string key, DateTimeOffset createdAt, DateTimeOffset? completedAt, int? status = 201) => new()
    {
        Caller = "customer-1",
        Key = key,
        RequestHash = IdempotencyStore.Hash(key),
        CreatedAt = createdAt,
        CompletedAt = completedAt,
        ResponseStatus = completedAt is null ? null : status,
        ResponseBody = completedAt is null ? null : "{}",
    };

    private static Task<List<string>> KeysLeftAsync(SqliteModuleHost host) =>
        host.WithContextAsync(db => db.IdempotencyRecords.AsNoTracking().OrderBy(r => r.Key).Select(r => r.Key).ToListAsync());

    [Fact]
    public void The_default_retention_is_thirty_days_and_shorter_than_a_day_is_refused()
    {
        var validator = new IdempotencyOptionsValidator();

        Retention.ShouldBe(TimeSpan.FromDays(30));
        validator.Validate(null, new IdempotencyOptions()).Succeeded.ShouldBeTrue();
        validator.Validate(null, new IdempotencyOptions { Retention = TimeSpan.FromDays(1) }).Succeeded.ShouldBeTrue();
        validator.Validate(null, new IdempotencyOptions { Retention = TimeSpan.FromHours(23) }).Failures.ShouldBe(
            ["Idempotency:Retention must be at least 1 day (a client may still be retrying with the key); it is 23:00:00."]);
    }

    [Fact]
    public async Task Requests_completed_longer_ago_than_the_retention_are_forgotten_and_nothing_else()
    {
        await using var host = await SqliteModuleHost.StartAsync();
        var start = host.Time.GetUtcNow();
        await host.WithContextAsync(db =>
        {
            db.IdempotencyRecords.AddRange(
                Record("completed-old", start - TimeSpan.FromSeconds(3), start),
                Record("failed-old", start - TimeSpan.FromSeconds(1), start, status: 422),
                Record("in-progress-old", start, completedAt: null),
                // Taken over by a recovery: a response status, still no CompletedAt.
                Record("interrupted-old", start, completedAt: null),
                Record("completed-later", start, start + TimeSpan.FromDays(1)));
            return db.SaveChangesAsync();
        });
        await host.WithContextAsync(db => db.IdempotencyRecords.Where(r => r.Key == "interrupted-old")
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ResponseStatus, -1)));

        // Exactly the retention after the first completions: not older than it yet.
        host.Time.Advance(Retention);
        (await RetentionJob(host).RunAsync(TestModule.Name)).ShouldBe(0);
        host.Time.Advance(TimeSpan.FromTicks(1));

        (await RetentionJob(host).RunAsync(TestModule.Name)).ShouldBe(2);
        (await KeysLeftAsync(host)).ShouldBe(["completed-later", "in-progress-old", "interrupted-old"]);
        (await RetentionJob(host).RunAsync(TestModule.Name)).ShouldBe(0);

        // A forgotten key starts a new request; a remembered one still replays.
        await using var scope = host.CreateScope();
        var store = scope.ServiceProvider.GetRequiredKeyedService<IdempotencyStore>(TestModule.Name);
        (await store.BeginAsync("customer-1", "completed-old", IdempotencyStore.Hash("completed-old"), CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.Started);
        (await store.BeginAsync("customer-1", "completed-later", IdempotencyStore.Hash("completed-later"), CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.Replay);
    }

    [Fact]
    public async Task A_backlog_larger_than_a_chunk_goes_in_chunks_read_and_deleted_through_the_CompletedAt_index()
    {
        var plans = new QueryPlanLog();
        await using var host = await SqliteModuleHost.StartAsync(services => services.AddSingleton<IInterceptor>(plans));
        var rows = ChunkedDelete.ChunkSize * 2 + 500;
        var start = host.Time.GetUtcNow();
        await host.WithContextAsync(db =>
        {
            // Many requests completing in the same tick as others (a storm): a chunk's edge falls inside such a run.
            for (var i = 0; i < rows; i++)
            {
                var completedAt = start + TimeSpan.FromTicks(i / 7);
                db.IdempotencyRecords.Add(Record($"bulk-{i:D5}", completedAt, completedAt));
            }

            db.IdempotencyRecords.Add(Record("recent", start, start + TimeSpan.FromDays(10)));
            return db.SaveChangesAsync();
        });
        host.Time.Advance(Retention + TimeSpan.FromDays(1));

        var recorded = plans.Record(writes: true);
        var deleted = await RetentionJob(host).RunAsync(TestModule.Name);
        var retentionPlans = recorded.ToList();
        var reads = retentionPlans.Where(p => p.Sql.StartsWith("SELECT", StringComparison.Ordinal)).ToList();
        var deletes = retentionPlans.Where(p => p.Sql.StartsWith("DELETE", StringComparison.Ordinal)).ToList();

        deleted.ShouldBe(rows);
        (await KeysLeftAsync(host)).ShouldBe(["recent"]);
        reads.Count.ShouldBe(4, "three chunks and the empty read that ends the loop");
        deletes.Count.ShouldBe(3);
        // A range of the index (covering for the read), never a scan of every key ever used.
        retentionPlans.ShouldAllBe(p => p.Steps.Any(s => s.StartsWith("SEARCH t USING ") && s.EndsWith("INDEX IX_testing_IdempotencyRecords_CompletedAt (CompletedAt>? AND CompletedAt<?)")));
    }
}
