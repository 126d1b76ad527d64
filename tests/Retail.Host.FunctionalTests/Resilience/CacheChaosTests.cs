using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Outcomes;
using Retail.BuildingBlocks.Infrastructure.Redis;
using Retail.Host.FunctionalTests.Infrastructure;
using StackExchange.Redis;

namespace Retail.Host.FunctionalTests.Resilience;

/// <summary>
/// The shared cache (HybridCache's second level, Redis in production) made to fail by Polly's chaos strategies (Simmy,
/// built into Polly.Core 8), deterministically and in process: the production <see cref="ResilientDistributedCache"/>
/// wraps a cache whose every call first runs through a chaos pipeline. Pages and APIs must keep serving, and the cache
/// must be used again once the fault stops (after the pause, moved on with a fake clock instead of waiting).
/// </summary>
public sealed class CacheChaosTests
{
    private static readonly string[] CachedPages = ["/", "/catalog", "/api/catalog/categories", "/catalog/product/HK-0008"];

    [Fact]
    public async Task Every_cache_call_failing_like_a_lost_Redis_connection_leaves_pages_and_apis_serving()
    {
        using var app = new ChaosCacheAppFactory();
        app.Chaos.FaultsEnabled = true;
        using var client = app.CreateClient();

        foreach (var path in CachedPages)
        {
            using var response = await client.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{path} while every cache call fails");
        }

        var home = await client.GetStringAsync("/");
        home.ShouldContain("/catalog/product/", customMessage: "the home page still lists featured products, read from the database");
        app.Chaos.InjectedFaults.ShouldBeGreaterThan(0, "Polly injected the Redis faults");
        app.Chaos.InnerCalls.ShouldBe(0, "no call got through to the cache behind the fault");
        app.Cache.IsPaused.ShouldBeTrue("after a Redis failure the cache pauses instead of failing every request");
    }

    [Fact]
    public async Task The_cache_is_used_again_after_the_fault_stops_and_the_pause_ends()
    {
        using var app = new ChaosCacheAppFactory();
        using var client = app.CreateClient();
        app.Chaos.FaultsEnabled = true;
        (await client.GetAsync("/api/catalog/categories")).StatusCode.ShouldBe(HttpStatusCode.OK);
        app.Chaos.InjectedFaults.ShouldBeGreaterThan(0);
        app.Chaos.InnerCalls.ShouldBe(0);

        app.Chaos.FaultsEnabled = false;
        app.Clock.Advance(ResilientDistributedCache.PauseAfterFailure + TimeSpan.FromSeconds(1));
        app.Cache.IsPaused.ShouldBeFalse();

        // The featured products were never cached in this instance: HybridCache asks its second level for them.
        using var home = await client.GetAsync("/");
        home.StatusCode.ShouldBe(HttpStatusCode.OK);
        app.Chaos.InnerCalls.ShouldBeGreaterThan(0, "the cache behind the (now healthy) connection is read and written again");
    }

    [Fact]
    public async Task A_corrupted_entry_returned_by_the_cache_is_a_miss_not_an_error()
    {
        using var app = new ChaosCacheAppFactory();
        app.Chaos.CorruptReads = true;
        using var client = app.CreateClient();

        foreach (var path in CachedPages)
        {
            using var response = await client.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{path} while every cache read returns garbage");
        }

        app.Chaos.InjectedOutcomes.ShouldBeGreaterThan(0, "Polly replaced cache reads with corrupted bytes");
        var categories = await client.GetStringAsync("/api/catalog/categories");
        categories.ShouldContain("\"slug\"", customMessage: "the categories come from the database, not from the garbage");
    }
}

/// <summary>The app with HybridCache's second level replaced by the production wrapper over a Polly chaos cache.</summary>
internal sealed class ChaosCacheAppFactory : RetailAppFactory
{
    public ChaosDistributedCache Chaos { get; } = new(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public ResilientDistributedCache Cache { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        Cache = new ResilientDistributedCache(Chaos, Clock, NullLogger<ResilientDistributedCache>.Instance);
        builder.ConfigureTestServices(services => services.AddSingleton<IDistributedCache>(Cache));
    }
}

/// <summary>
/// An <see cref="IDistributedCache"/> whose calls run through Polly chaos pipelines: <c>AddChaosFault</c> throws what
/// StackExchange.Redis throws when the connection is gone, <c>AddChaosOutcome</c> makes reads return corrupted bytes.
/// Both are switched by flags (Polly's <c>EnabledGenerator</c>), so a test turns the fault on and off deterministically.
/// </summary>
internal sealed class ChaosDistributedCache : IDistributedCache
{
    private readonly IDistributedCache _inner;
    private readonly ResiliencePipeline _faults;
    private readonly ResiliencePipeline<byte[]?> _reads;
    private int _injectedFaults;
    private int _injectedOutcomes;
    private int _innerCalls;

    public ChaosDistributedCache(IDistributedCache inner)
    {
        _inner = inner;
        _faults = new ResiliencePipelineBuilder()
            .AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = 1.0,
                EnabledGenerator = _ => ValueTask.FromResult(FaultsEnabled),
                FaultGenerator = new FaultGenerator().AddException(() => new RedisConnectionException(ConnectionFailureType.SocketFailure, CommandFlags.None, "Polly chaos: connection to Redis lost", null, CommandStatus.Unknown)),
                OnFaultInjected = _ =>
                {
                    Interlocked.Increment(ref _injectedFaults);
                    return default;
                },
            })
            .Build();
        _reads = new ResiliencePipelineBuilder<byte[]?>()
            .AddChaosOutcome(new ChaosOutcomeStrategyOptions<byte[]?>
            {
                InjectionRate = 1.0,
                EnabledGenerator = _ => ValueTask.FromResult(CorruptReads),
                OutcomeGenerator = new OutcomeGenerator<byte[]?>().AddResult(() => [0xFF, 0x00, 0x13, 0x37, 0x42, 0x99, 0x01]),
                OnOutcomeInjected = _ =>
                {
                    Interlocked.Increment(ref _injectedOutcomes);
                    return default;
                },
            })
            .Build();
    }

    private volatile bool _faultsEnabled;
    private volatile bool _corruptReads;

    public bool FaultsEnabled
    {
        get => _faultsEnabled;
        set => _faultsEnabled = value;
    }

    public bool CorruptReads
    {
        get => _corruptReads;
        set => _corruptReads = value;
    }

    public int InjectedFaults => Volatile.Read(ref _injectedFaults);

    public int InjectedOutcomes => Volatile.Read(ref _injectedOutcomes);

    /// <summary>Calls that reached the real cache behind the chaos.</summary>
    public int InnerCalls => Volatile.Read(ref _innerCalls);

    public byte[]? Get(string key) => _faults.Execute(() => _reads.Execute(() => Count(_inner.Get(key))));

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        await _faults.ExecuteAsync(async ct => await _reads.ExecuteAsync(async ct2 => Count(await _inner.GetAsync(key, ct2)), ct), token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => _faults.Execute(() => Count(() => _inner.Set(key, value, options)));

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        await _faults.ExecuteAsync(async ct => { Count(); await _inner.SetAsync(key, value, options, ct); }, token);

    public void Refresh(string key) => _faults.Execute(() => Count(() => _inner.Refresh(key)));

    public async Task RefreshAsync(string key, CancellationToken token = default) =>
        await _faults.ExecuteAsync(async ct => { Count(); await _inner.RefreshAsync(key, ct); }, token);

    public void Remove(string key) => _faults.Execute(() => Count(() => _inner.Remove(key)));

    public async Task RemoveAsync(string key, CancellationToken token = default) =>
        await _faults.ExecuteAsync(async ct => { Count(); await _inner.RemoveAsync(key, ct); }, token);

    private T Count<T>(T value)
    {
        Interlocked.Increment(ref _innerCalls);
        return value;
    }

    private void Count(Action action)
    {
        Interlocked.Increment(ref _innerCalls);
        action();
    }

    private void Count() => Interlocked.Increment(ref _innerCalls);
}
