using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Infrastructure.Idempotency;
using Retail.BuildingBlocks.IntegrationTests.Support;

namespace Retail.BuildingBlocks.IntegrationTests.Idempotency;

/// <summary>The request table behind idempotency keys: a repeat returns the first result, a different body is refused.</summary>
public sealed class IdempotencyStoreTests
{
    private const string Caller = "partner-acme";
    private const string Key = "order-2025-0001";
    private static readonly string Body = IdempotencyStore.Hash("""{"sku":"ABC","qty":1}""");
    private static readonly string OtherBody = IdempotencyStore.Hash("""{"sku":"ABC","qty":2}""");

    [Fact]
    public void Hash_is_a_stable_sha256_of_the_body()
    {
        Body.Length.ShouldBe(64);
        IdempotencyStore.Hash("""{"sku":"ABC","qty":1}""").ShouldBe(Body);
        OtherBody.ShouldNotBe(Body);
    }

    [Fact]
    public async Task First_request_starts_and_a_repeat_after_completion_replays_the_stored_response()
    {
        await using var host = await SqliteModuleHost.StartAsync();

        (await BeginAsync(host, Caller, Key, Body)).ShouldBe(new IdempotencyDecision(IdempotencyOutcome.Started));
        var record = await host.WithContextAsync(db => db.IdempotencyRecords.AsNoTracking().SingleAsync());
        record.RequestHash.ShouldBe(Body);
        record.CreatedAt.ShouldBe(SqliteModuleHost.Start);
        record.CompletedAt.ShouldBeNull();

        host.Time.Advance(TimeSpan.FromSeconds(3));
        await WithStoreAsync(host, store => store.CompleteAsync(Caller, Key, 201, """{"orderId":42}""", CancellationToken.None));

        (await BeginAsync(host, Caller, Key, Body)).ShouldBe(new IdempotencyDecision(IdempotencyOutcome.Replay, 201, """{"orderId":42}"""));
        (await BeginAsync(host, Caller, Key, Body)).Outcome.ShouldBe(IdempotencyOutcome.Replay, "every repeat replays, not just the first");
        (await host.WithContextAsync(db => db.IdempotencyRecords.AsNoTracking().SingleAsync())).CompletedAt.ShouldBe(SqliteModuleHost.Start + TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_repeat_while_the_first_request_is_still_running_is_in_progress()
    {
        await using var host = await SqliteModuleHost.StartAsync();

        (await BeginAsync(host, Caller, Key, Body)).Outcome.ShouldBe(IdempotencyOutcome.Started);
        (await BeginAsync(host, Caller, Key, Body)).ShouldBe(new IdempotencyDecision(IdempotencyOutcome.InProgress));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_a_mismatch_before_and_after_completion()
    {
        await using var host = await SqliteModuleHost.StartAsync();

        (await BeginAsync(host, Caller, Key, Body)).Outcome.ShouldBe(IdempotencyOutcome.Started);
        (await BeginAsync(host, Caller, Key, OtherBody)).ShouldBe(new IdempotencyDecision(IdempotencyOutcome.Mismatch));

        await WithStoreAsync(host, store => store.CompleteAsync(Caller, Key, 201, "{}", CancellationToken.None));
        (await BeginAsync(host, Caller, Key, OtherBody)).ShouldBe(new IdempotencyDecision(IdempotencyOutcome.Mismatch));
    }

    [Fact]
    public async Task Different_callers_using_the_same_key_do_not_see_each_other()
    {
        await using var host = await SqliteModuleHost.StartAsync();

        (await BeginAsync(host, "caller-a", Key, Body)).Outcome.ShouldBe(IdempotencyOutcome.Started);
        (await BeginAsync(host, "caller-b", Key, OtherBody)).Outcome.ShouldBe(IdempotencyOutcome.Started);
        await WithStoreAsync(host, store => store.CompleteAsync("caller-a", Key, 200, "a", CancellationToken.None));

        (await BeginAsync(host, "caller-a", Key, Body)).ShouldBe(new IdempotencyDecision(IdempotencyOutcome.Replay, 200, "a"));
        (await BeginAsync(host, "caller-b", Key, OtherBody)).Outcome.ShouldBe(IdempotencyOutcome.InProgress, "completing a's request must not complete b's");
    }

    [Fact]
    public async Task Abandoning_an_unfinished_request_frees_the_key_but_a_completed_one_stays()
    {
        await using var host = await SqliteModuleHost.StartAsync();

        (await BeginAsync(host, Caller, Key, Body)).Outcome.ShouldBe(IdempotencyOutcome.Started);
        await WithStoreAsync(host, store => store.AbandonAsync(Caller, Key, CancellationToken.None));
        (await BeginAsync(host, Caller, Key, OtherBody)).Outcome.ShouldBe(IdempotencyOutcome.Started, "the client may retry, even with a corrected body");

        await WithStoreAsync(host, store => store.CompleteAsync(Caller, Key, 201, "done", CancellationToken.None));
        await WithStoreAsync(host, store => store.AbandonAsync(Caller, Key, CancellationToken.None));
        (await BeginAsync(host, Caller, Key, OtherBody)).ShouldBe(new IdempotencyDecision(IdempotencyOutcome.Replay, 201, "done"));
    }

    [Fact]
    public async Task A_request_in_progress_keeps_its_pending_body_and_is_still_in_progress_until_completed()
    {
        await using var host = await SqliteModuleHost.StartAsync();

        (await WithStoreAsync(host, store => store.BeginAsync(Caller, Key, Body, "work-7", CancellationToken.None))).Outcome.ShouldBe(IdempotencyOutcome.Started);
        (await host.WithContextAsync(db => db.IdempotencyRecords.AsNoTracking().SingleAsync())).ResponseBody.ShouldBe("work-7");
        (await WithStoreAsync(host, store => store.StillInProgressAsync(Caller, Key, CancellationToken.None))).ShouldBeTrue();
        (await WithStoreAsync(host, store => store.StillInProgressAsync(Caller, "another key", CancellationToken.None))).ShouldBeFalse();

        await WithStoreAsync(host, store => store.CompleteAsync(Caller, Key, 201, "done", CancellationToken.None));

        (await WithStoreAsync(host, store => store.StillInProgressAsync(Caller, Key, CancellationToken.None))).ShouldBeFalse();
        (await BeginAsync(host, Caller, Key, Body)).ShouldBe(new IdempotencyDecision(IdempotencyOutcome.Replay, 201, "done"));
    }

    [Fact]
    public async Task Ten_concurrent_requests_with_the_same_key_start_exactly_once()
    {
        await using var host = await SqliteModuleHost.StartAsync();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            await using var scope = host.CreateScope();
            var store = scope.ServiceProvider.GetRequiredKeyedService<IdempotencyStore>(TestModule.Name);
            await go.Task;
            return await store.BeginAsync(Caller, Key, Body, CancellationToken.None);
        })).ToList();
        go.SetResult();
        var decisions = await Task.WhenAll(requests);

        decisions.Count(d => d.Outcome == IdempotencyOutcome.Started).ShouldBe(1);
        decisions.Count(d => d.Outcome == IdempotencyOutcome.InProgress).ShouldBe(9);
        (await host.WithContextAsync(db => db.IdempotencyRecords.CountAsync())).ShouldBe(1);
    }

    private static Task<IdempotencyDecision> BeginAsync(SqliteModuleHost host, string caller, string key, string hash) =>
        WithStoreAsync(host, store => store.BeginAsync(caller, key, hash, CancellationToken.None));

    private static async Task WithStoreAsync(SqliteModuleHost host, Func<IdempotencyStore, Task> work) =>
        await WithStoreAsync(host, async store =>
        {
            await work(store);
            return true;
        });

    /// <summary>Each call in its own scope (own context), as separate HTTP requests are.</summary>
    private static async Task<T> WithStoreAsync<T>(SqliteModuleHost host, Func<IdempotencyStore, Task<T>> work)
    {
        await using var scope = host.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredKeyedService<IdempotencyStore>(TestModule.Name));
    }
}
