using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Caching;

namespace Retail.BuildingBlocks.IntegrationTests.Caching;

/// <summary>
/// A cached load runs with services from a DI scope of its own, never the first caller's: HybridCache keeps one load
/// running for every waiting caller, so the caller whose scope started it may be gone before it ends.
/// </summary>
public sealed class ScopedCacheLoadsTests : IAsyncLifetime
{
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddHybridCache();
        services.AddScoped<ScopedProbe>();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private HybridCache Cache => _services.GetRequiredService<HybridCache>();

    private IServiceScopeFactory Scopes => _services.GetRequiredService<IServiceScopeFactory>();

    [Fact]
    public async Task The_load_gets_a_scope_of_its_own_that_ends_with_it()
    {
        await using var caller = _services.CreateAsyncScope();
        var callers = caller.ServiceProvider.GetRequiredService<ScopedProbe>();
        ScopedProbe? loads = null;

        var value = await Cache.GetOrLoadAsync<ScopedProbe, int>(Scopes, "own-scope", (probe, _) =>
        {
            loads = probe;
            return Task.FromResult(42);
        }, new HybridCacheEntryOptions(), [], CancellationToken.None);

        value.ShouldBe(42);
        loads.ShouldNotBeNull();
        loads.ShouldNotBeSameAs(callers);
        loads.Disposed.ShouldBeTrue("the load's scope ends when the load does");
        callers.Disposed.ShouldBeFalse();
    }

    [Fact]
    public async Task A_caller_that_gives_up_leaves_the_shared_load_running_for_the_others()
    {
        var entered = new TaskCompletionSource<ScopedProbe>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<int> Load(ScopedProbe probe, CancellationToken ct)
        {
            entered.TrySetResult(probe);
            await release.Task;
            return probe.Disposed ? -1 : 7;
        }

        using var first = new CancellationTokenSource();
        var impatient = Cache.GetOrLoadAsync<ScopedProbe, int>(Scopes, "shared", Load, new HybridCacheEntryOptions(), [], first.Token).AsTask();
        var probe = await entered.Task;
        var patient = Cache.GetOrLoadAsync<ScopedProbe, int>(Scopes, "shared", Load, new HybridCacheEntryOptions(), [], CancellationToken.None).AsTask();

        await first.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => impatient);
        probe.Disposed.ShouldBeFalse("the load's scope is not the caller's that gave up");
        release.SetResult();

        (await patient).ShouldBe(7);
        probe.Disposed.ShouldBeTrue();
    }

    private sealed class ScopedProbe : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
