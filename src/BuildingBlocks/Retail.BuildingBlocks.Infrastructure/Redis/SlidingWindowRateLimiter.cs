using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Retail.BuildingBlocks.Infrastructure.Redis;

/// <summary>Answer of a rate-limit check. <see cref="RetryAfter"/> is when the oldest counted attempt leaves the window.</summary>
public readonly record struct RateLimitDecision(bool Allowed, int Remaining, TimeSpan RetryAfter);

/// <summary>Sliding-window limiter: at most <c>limit</c> allowed attempts per key within any <c>window</c>.</summary>
public interface ISlidingWindowRateLimiter
{
    ValueTask<RateLimitDecision> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken = default);
}

/// <summary>Per-process limiter: exact, but each instance counts alone.</summary>
public sealed class InProcessSlidingWindowRateLimiter(TimeProvider time) : ISlidingWindowRateLimiter
{
    private readonly Dictionary<string, Queue<long>> _windows = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _lastSweep;

    public ValueTask<RateLimitDecision> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var windowMs = (long)window.TotalMilliseconds;
        lock (_gate)
        {
            SweepIdleKeys(now, windowMs);
            if (!_windows.TryGetValue(key, out var hits))
            {
                hits = new Queue<long>();
                _windows[key] = hits;
            }

            while (hits.Count > 0 && hits.Peek() <= now - windowMs)
            {
                hits.Dequeue();
            }

            if (hits.Count < limit)
            {
                hits.Enqueue(now);
                return ValueTask.FromResult(new RateLimitDecision(true, limit - hits.Count, TimeSpan.Zero));
            }

            var retryAfter = TimeSpan.FromMilliseconds(hits.Peek() + windowMs - now);
            return ValueTask.FromResult(new RateLimitDecision(false, 0, retryAfter));
        }
    }

    // Keeps memory bounded: keys with no attempt inside the window are dropped, at most once per window.
    private void SweepIdleKeys(long now, long windowMs)
    {
        if (now - _lastSweep < windowMs)
        {
            return;
        }

        _lastSweep = now;
        foreach (var (key, hits) in _windows.ToList())
        {
            if (hits.Count == 0 || hits.Last() <= now - windowMs)
            {
                _windows.Remove(key);
            }
        }
    }
}

/// <summary>
/// Limiter shared by all instances: one Lua script over a sorted set per key (trim, count, add, expire), atomic in Redis.
/// The time comes from the caller's <see cref="TimeProvider"/>, so tests control it.
/// </summary>
public sealed class RedisSlidingWindowRateLimiter(RedisConnection redis, TimeProvider time) : ISlidingWindowRateLimiter
{
    private const string Script = """
        local key = KEYS[1]
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local limit = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
        local count = redis.call('ZCARD', key)
        if count < limit then
          redis.call('ZADD', key, now, ARGV[4])
          redis.call('PEXPIRE', key, window)
          return {1, limit - count - 1, 0}
        end
        local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
        return {0, 0, tonumber(oldest[2]) + window - now}
        """;

    public async ValueTask<RateLimitDecision> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var database = redis.Multiplexer?.GetDatabase() ?? throw new InvalidOperationException("Redis is not configured.");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(
            Script,
            [RedisConnection.Key("ratelimit:" + key)],
            [now, (long)window.TotalMilliseconds, limit, $"{now}:{Guid.NewGuid():N}"]))!;
        return new RateLimitDecision((int)result[0] == 1, (int)result[1], TimeSpan.FromMilliseconds((long)result[2]));
    }
}

/// <summary>
/// The limiter the app uses: Redis when configured and reachable, the in-process limiter otherwise. A Redis failure
/// switches to in-process at once (logged, visible in health and metrics); Redis is tried again after a short pause,
/// so the app recovers by itself.
/// </summary>
public sealed class ResilientSlidingWindowRateLimiter(
    RedisConnection redis,
    RedisSlidingWindowRateLimiter distributed,
    InProcessSlidingWindowRateLimiter local,
    TimeProvider time,
    ILogger<ResilientSlidingWindowRateLimiter> logger) : ISlidingWindowRateLimiter, IRedisDegradationState
{
    private static readonly Meter Meter = new("Retail.RateLimiting");
    private static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("retail.ratelimit.redis_fallbacks", description: "Rate-limit decisions made in-process because Redis failed");

    /// <summary>After a Redis failure, how long to stay in-process before trying Redis again.</summary>
    public static readonly TimeSpan RetryRedisAfter = TimeSpan.FromSeconds(5);

    private long _degradedUntilTicks;

    // A Redis timeout can surface as a cancellation; only the caller's own cancellation is not a Redis failure.
    private static bool IsRedisFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is RedisException or TimeoutException or ObjectDisposedException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    public bool IsDegraded => redis.IsConfigured && time.GetUtcNow().UtcTicks < Interlocked.Read(ref _degradedUntilTicks);

    public string Mode => !redis.IsConfigured ? "in-process" : IsDegraded ? "in-process (Redis unavailable)" : "redis";

    public async ValueTask<RateLimitDecision> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConfigured || IsDegraded)
        {
            return await local.TryAcquireAsync(key, limit, window, cancellationToken);
        }

        try
        {
            var decision = await distributed.TryAcquireAsync(key, limit, window, cancellationToken);
            if (Interlocked.Exchange(ref _degradedUntilTicks, 0) != 0)
            {
                logger.LogInformation("Rate limiting is back on Redis");
            }

            return decision;
        }
        catch (Exception ex) when (IsRedisFailure(ex, cancellationToken))
        {
            Interlocked.Exchange(ref _degradedUntilTicks, (time.GetUtcNow() + RetryRedisAfter).UtcTicks);
            Fallbacks.Add(1);
            logger.LogWarning(ex, "Redis unavailable for rate limiting; using the per-instance limiter for {RetryAfterSeconds} s", RetryRedisAfter.TotalSeconds);
            return await local.TryAcquireAsync(key, limit, window, cancellationToken);
        }
    }
}

/// <summary>Lets health checks and dashboards see whether a Redis-backed feature is running on its fallback.</summary>
public interface IRedisDegradationState
{
    bool IsDegraded { get; }

    string Mode { get; }
}
