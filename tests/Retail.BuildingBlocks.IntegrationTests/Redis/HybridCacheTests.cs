using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Infrastructure.Redis;
using Retail.BuildingBlocks.IntegrationTests.Support;

namespace Retail.BuildingBlocks.IntegrationTests.Redis;

/// <summary>Smoke test of the caching registration: with Redis configured, HybridCache's second level is shared.</summary>
public sealed class HybridCacheTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Two_app_instances_share_cache_entries_through_redis()
    {
        // Patient timeouts: with the app's 1 s, a slow first connect or write while other classes load the server failed the
        // background write, and the cache then skips Redis for 5 s (ResilientDistributedCache), so the entry never arrived.
        await using var first = BuildInstance(redis.PatientConnectionString);
        await using var second = BuildInstance(redis.PatientConnectionString);
        var key = RedisServerFixture.UniqueKey("product");
        var server = redis.Connect().Multiplexer!.GetDatabase();

        var value = await first.GetRequiredService<HybridCache>().GetOrCreateAsync(key, _ => ValueTask.FromResult("made by the first instance"));
        value.ShouldBe("made by the first instance");

        // HybridCache answers first and writes the second level in the background: wait (bounded) for that write.
        SpinWait.SpinUntil(() => server.KeyExists("retail:cache:" + key), TimeSpan.FromSeconds(10))
            .ShouldBeTrue("the entry never reached Redis under the app's cache prefix");

        var fromSecond = await second.GetRequiredService<HybridCache>().GetOrCreateAsync(key, _ => ValueTask.FromResult("made by the second instance"));
        fromSecond.ShouldBe("made by the first instance", "the second instance finds the entry in Redis instead of making its own");
    }

    private static ServiceProvider BuildInstance(string redisConnectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redisConnectionString })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddRetailRedisAndCaching(configuration);
        return services.BuildServiceProvider();
    }
}
