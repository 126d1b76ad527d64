using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Features;
using Retail.BuildingBlocks.Infrastructure.Features;
using Retail.BuildingBlocks.IntegrationTests.Support;

namespace Retail.BuildingBlocks.IntegrationTests.Features;

/// <summary>
/// A run-time switch is asked on every request of the flash listing, so it is read from its table at most once per
/// cache period however many requests ask at the moment the cached state expires.
/// </summary>
public sealed class ModuleFeatureToggleTests : IAsyncLifetime
{
    private SqliteModuleHost _host = null!;

    private SwitchReads Reads => _host.Services.GetRequiredService<SwitchReads>();

    private IFeatureToggle Toggle => _host.Services.GetRequiredService<IFeatureToggle>();

    public async Task InitializeAsync() => _host = await SqliteModuleHost.StartAsync(services =>
    {
        services.AddSingleton<SwitchReads>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<SwitchReads>());
        services.AddFeatureToggle<TestModuleDbContext>("widgets", "Widgets");
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task When_the_cached_state_expires_one_caller_reads_and_the_others_keep_the_last_known_state()
    {
        await Toggle.SetEnabledAsync(false, "admin");
        (await Toggle.IsEnabledAsync()).ShouldBeFalse();
        Reads.Count.ShouldBe(1, "SetEnabled's own read of the row");
        _host.Time.Advance(new FeatureToggleOptions().CacheFor + TimeSpan.FromSeconds(1));
        await SwitchOnBehindTheCacheAsync();
        var readsBefore = Reads.Count;

        Reads.Hold();
        var callers = Enumerable.Range(0, 20).Select(_ => Toggle.IsEnabledAsync().AsTask()).ToList();
        await Reads.Entered;

        var answered = callers.Where(c => c.IsCompleted).ToList();
        answered.Count.ShouldBe(19, "everyone but the reader is answered at once");
        answered.ShouldAllBe(c => c.Result == false, "with the last known state, while the read is under way");
        Reads.Count.ShouldBe(readsBefore + 1);

        Reads.Release();
        (await callers.Single(c => !answered.Contains(c))).ShouldBeTrue("the reader gets what it read");
        (await Toggle.IsEnabledAsync()).ShouldBeTrue("and from then on everyone does");
        Reads.Count.ShouldBe(readsBefore + 1, "one read for the whole expiry");
    }

    [Fact]
    public async Task Before_any_state_is_known_concurrent_callers_wait_for_one_shared_read()
    {
        Reads.Hold();
        var callers = Enumerable.Range(0, 10).Select(_ => Toggle.IsEnabledAsync().AsTask()).ToList();
        await Reads.Entered;
        callers.ShouldAllBe(c => !c.IsCompleted, "no state to answer with yet");

        Reads.Release();
        (await Task.WhenAll(callers)).ShouldAllBe(enabled => enabled, "no row: a switch is on until someone turns it off");
        Reads.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_caller_that_gives_up_while_waiting_leaves_the_shared_read_to_the_others()
    {
        Reads.Hold();
        var reader = Toggle.IsEnabledAsync().AsTask();
        await Reads.Entered;
        using var giveUp = new CancellationTokenSource();
        var waiter = Toggle.IsEnabledAsync(giveUp.Token).AsTask();

        await giveUp.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(waiter);

        Reads.Release();
        (await reader).ShouldBeTrue("the read goes on for the caller that started it");
        (await Toggle.IsEnabledAsync()).ShouldBeTrue();
        Reads.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_read_that_fails_keeps_the_last_known_state_and_the_next_caller_after_it_reads_again()
    {
        await Toggle.SetEnabledAsync(false, "admin");
        _host.Time.Advance(new FeatureToggleOptions().CacheFor + TimeSpan.FromSeconds(1));
        Reads.FailNext();

        (await Toggle.IsEnabledAsync()).ShouldBeFalse("a database hiccup never switches a feature back on (or off)");
        (await Toggle.IsEnabledAsync()).ShouldBeFalse();
        Reads.Count.ShouldBe(3, "the failed read did not leave a read marked as under way");
    }

    /// <summary>Changes the row without going through this toggle, as another instance would.</summary>
    private Task SwitchOnBehindTheCacheAsync() => _host.WithContextAsync(async db =>
    {
        var row = await db.Set<FeatureSwitch>().FindAsync("widgets");
        row!.Set(true, _host.Time.GetUtcNow(), "another instance");
        return await db.SaveChangesAsync();
    });

    /// <summary>Counts reads of the FeatureSwitches table; can hold one until released, or fail one.</summary>
    private sealed class SwitchReads : DbCommandInterceptor
    {
        private TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource? _held;
        private int _count;
        private int _failNext;

        public int Count => Volatile.Read(ref _count);

        public Task Entered => _entered.Task;

        public void Hold()
        {
            _entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Release() => _held?.TrySetResult();

        public void FailNext() => Volatile.Write(ref _failNext, 1);

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("FROM \"testing_FeatureSwitches\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
                _entered.TrySetResult();
                if (_held is { } held)
                {
                    await held.Task;
                }

                if (Interlocked.Exchange(ref _failNext, 0) == 1)
                {
                    throw new InvalidOperationException("simulated database failure");
                }
            }

            return result;
        }
    }
}
