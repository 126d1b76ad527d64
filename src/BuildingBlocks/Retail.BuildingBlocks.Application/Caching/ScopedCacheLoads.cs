using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Retail.BuildingBlocks.Application.Caching;

public static class ScopedCacheLoads
{
    /// <summary>
    /// <see cref="HybridCache"/>'s get-or-create whose load runs with <typeparamref name="TService"/> (a module's database
    /// context) from a DI scope of its own. HybridCache runs one load for all concurrent callers of a key and keeps it
    /// running while any of them still waits, so a load that used the first caller's scoped context could still be
    /// querying after that caller gave up and its scope — and the context's pooled SQLite connection — was disposed under
    /// it (the connection then went back to the pool mid-statement or inside a transaction).
    /// </summary>
    public static ValueTask<T> GetOrLoadAsync<TService, T>(this HybridCache cache, IServiceScopeFactory scopes, string key,
        Func<TService, CancellationToken, Task<T>> load, HybridCacheEntryOptions options, IEnumerable<string> tags, CancellationToken cancellationToken)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(cache);
        return cache.GetOrCreateAsync(
            key,
            (Scopes: scopes, Load: load),
            static async (state, ct) =>
            {
                await using var scope = state.Scopes.CreateAsyncScope();
                return await state.Load(scope.ServiceProvider.GetRequiredService<TService>(), ct);
            },
            options,
            tags,
            cancellationToken);
    }
}
