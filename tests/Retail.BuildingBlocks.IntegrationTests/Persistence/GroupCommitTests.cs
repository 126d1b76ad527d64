using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.IntegrationTests.Support;

namespace Retail.BuildingBlocks.IntegrationTests.Persistence;

/// <summary>
/// The group commit against a real SQLite file: callers that queue while a transaction is open share the next one,
/// every caller returns only once its rows are committed, and a caller whose write fails fails alone.
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private SqliteModuleHost _host = null!;

    public async Task InitializeAsync() => _host = await SqliteModuleHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private IGroupCommit<TestModuleDbContext> Commits => _host.Services.GetRequiredService<IGroupCommit<TestModuleDbContext>>();

    /// <summary>
    /// A first caller whose changes wait for <paramref name="release"/>, holding the commit loop so the next callers
    /// queue; returns once the loop is inside its changes (so whatever is queued next forms the following batch).
    /// </summary>
    private async Task<Task> HoldAsync(TaskCompletionSource release)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Commits.CommitAsync(async (db, _) =>
        {
            entered.TrySetResult();
            await release.Task;
            db.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "first" });
        }, CancellationToken.None);
        await entered.Task;
        return first;
    }

    private Task Add(string name, Guid? id = null, List<TestModuleDbContext>? contexts = null) => Commits.CommitAsync((db, _) =>
    {
        lock (contexts ?? [])
        {
            contexts?.Add(db);
        }

        db.Widgets.Add(new Widget { Id = id ?? Guid.NewGuid(), Name = name });
        return Task.CompletedTask;
    }, CancellationToken.None);

    private Task<List<string>> NamesAsync() => _host.WithContextAsync(db => db.Widgets.Select(w => w.Name).OrderBy(n => n).ToListAsync());

    [Fact]
    public async Task Callers_that_queue_while_a_transaction_is_open_share_the_next_one_and_return_once_committed()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = await HoldAsync(release);
        var contexts = new List<TestModuleDbContext>();
        var queued = Enumerable.Range(0, 20).Select(i => Add($"queued-{i:00}", contexts: contexts)).ToList();

        queued.ShouldAllBe(t => !t.IsCompleted, "nothing is answered before it is committed");
        release.SetResult();
        await first;
        await Task.WhenAll(queued);

        contexts.Count.ShouldBe(20);
        contexts.Distinct().Count().ShouldBe(1, "the twenty callers queued behind the first share one context and transaction");
        var names = await NamesAsync();
        names.Count.ShouldBe(21);
        names.ShouldContain("first");
    }

    [Fact]
    public async Task A_failing_write_fails_only_its_caller_and_the_others_commit_exactly_once()
    {
        var taken = Guid.NewGuid();
        await Add("existing", taken);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = await HoldAsync(release);
        var before = Add("before");
        var duplicate = Add("duplicate", taken);
        var after = Add("after");

        release.SetResult();
        await first;
        await before;
        await after;

        await Should.ThrowAsync<DbUpdateException>(() => duplicate);
        (await NamesAsync()).ShouldBe(["after", "before", "existing", "first"]);
    }

    [Fact]
    public async Task Stopping_commits_what_is_queued()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = await HoldAsync(release);
        var queued = Add("queued");
        var commits = (IAsyncDisposable)Commits;

        var stopping = commits.DisposeAsync().AsTask();
        release.SetResult();
        await stopping;

        await first;
        await queued;
        await Should.ThrowAsync<ObjectDisposedException>(() => Add("too late"));
        (await NamesAsync()).ShouldBe(["first", "queued"]);
    }
}
