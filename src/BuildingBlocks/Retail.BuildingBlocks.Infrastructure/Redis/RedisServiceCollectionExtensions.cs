using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Retail.BuildingBlocks.Infrastructure.Redis;

public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Redis when <c>ConnectionStrings:Redis</c> is set: HybridCache's second level, the shared rate limiter and the
    /// Data Protection key ring (so auth cookies work on every instance). Unset: the same services run in process.
    /// </summary>
    public static IServiceCollection AddRetailRedisAndCaching(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Redis");
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            // Checked at start like every other setting: unread, it only failed on the first connect, in the background,
            // and the app served on its per-instance fallbacks for good.
            try
            {
                StackExchange.Redis.ConfigurationOptions.Parse(connectionString);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException($"ConnectionStrings:Redis is not a Redis connection string (host:port,option=value,...): {e.Message}", e);
            }
        }

        services.AddSingleton(sp => new RedisConnection(connectionString, sp.GetService<ILogger<RedisConnection>>() ?? NullLogger<RedisConnection>.Instance));
        services.AddHostedService<RedisConnectionWarmup>();
        services.AddSingleton<InProcessSlidingWindowRateLimiter>();
        services.AddSingleton<RedisSlidingWindowRateLimiter>();
        services.AddSingleton<ResilientSlidingWindowRateLimiter>();
        services.AddSingleton<ISlidingWindowRateLimiter>(sp => sp.GetRequiredService<ResilientSlidingWindowRateLimiter>());
        services.AddSingleton<IRedisDegradationState>(sp => sp.GetRequiredService<ResilientSlidingWindowRateLimiter>());

        var dataProtection = services.AddDataProtection().SetApplicationName("Retail");
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddSingleton<IDistributedCache>(sp =>
            {
                var redis = sp.GetRequiredService<RedisConnection>();
                var redisCache = new RedisCache(Options.Create(new RedisCacheOptions
                {
                    InstanceName = "retail:cache:",
                    ConnectionMultiplexerFactory = () => Task.FromResult(redis.Multiplexer!),
                }));
                return new ResilientDistributedCache(redisCache, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ResilientDistributedCache>>());
            });
            var keyRing = ConnectionMultiplexerHolder.For(connectionString);
            dataProtection.PersistKeysToStackExchangeRedis(() => keyRing.Value.GetDatabase(), RedisConnection.Key("dataprotection-keys"));
        }

        services.AddHybridCache(o =>
        {
            o.DefaultEntryOptions = new Microsoft.Extensions.Caching.Hybrid.HybridCacheEntryOptions
            {
                Expiration = TimeSpan.FromMinutes(5),
                LocalCacheExpiration = TimeSpan.FromMinutes(1),
            };
        });
        return services;
    }

    // Data Protection is configured before the container is built, so it gets its own lazily connected multiplexer.
    private static class ConnectionMultiplexerHolder
    {
        public static Lazy<ConnectionMultiplexer> For(string connectionString) => new(() =>
        {
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(options);
        });
    }
}
