using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Retail.BuildingBlocks.Infrastructure.Redis;

/// <summary>
/// HybridCache's second level over Redis that never fails a request: when Redis errors, reads miss and writes are
/// dropped for a short pause (HybridCache then serves from its in-process level and the database), after which Redis
/// is tried again. The shop keeps working through a Redis outage, only less shared.
/// </summary>
public sealed class ResilientDistributedCache(IDistributedCache inner, TimeProvider time, ILogger<ResilientDistributedCache> logger) : IDistributedCache
{
    public static readonly TimeSpan PauseAfterFailure = TimeSpan.FromSeconds(5);

    private long _pausedUntilTicks;

    public bool IsPaused => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _pausedUntilTicks);

    public byte[]? Get(string key) => Guard(() => inner.Get(key), default(byte[]));

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => GuardAsync(() => inner.GetAsync(key, token), default(byte[]));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Guard(() => { inner.Set(key, value, options); return true; }, false);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        GuardAsync(async () => { await inner.SetAsync(key, value, options, token); return true; }, false);

    public void Refresh(string key) => Guard(() => { inner.Refresh(key); return true; }, false);

    public Task RefreshAsync(string key, CancellationToken token = default) => GuardAsync(async () => { await inner.RefreshAsync(key, token); return true; }, false);

    public void Remove(string key) => Guard(() => { inner.Remove(key); return true; }, false);

    public Task RemoveAsync(string key, CancellationToken token = default) => GuardAsync(async () => { await inner.RemoveAsync(key, token); return true; }, false);

    private T Guard<T>(Func<T> operation, T fallback)
    {
        if (IsPaused)
        {
            return fallback;
        }

        try
        {
            return operation();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Pause(ex);
            return fallback;
        }
    }

    private async Task<T> GuardAsync<T>(Func<Task<T>> operation, T fallback)
    {
        if (IsPaused)
        {
            return fallback;
        }

        try
        {
            return await operation();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Pause(ex);
            return fallback;
        }
    }

    private void Pause(Exception error)
    {
        Interlocked.Exchange(ref _pausedUntilTicks, (time.GetUtcNow() + PauseAfterFailure).UtcTicks);
        logger.LogWarning(error, "Redis cache unavailable; serving from the in-process cache for {PauseSeconds} s", PauseAfterFailure.TotalSeconds);
    }
}
