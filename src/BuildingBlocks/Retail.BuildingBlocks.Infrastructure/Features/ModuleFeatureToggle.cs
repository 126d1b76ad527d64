using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Features;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.Infrastructure.Features;

/// <summary>
/// A switch stored in module <typeparamref name="TContext"/>'s FeatureSwitches table. Singleton: it caches the last read
/// for <see cref="FeatureToggleOptions.CacheFor"/> (by <see cref="TimeProvider"/>) so the flash listing can ask per request.
/// When the table cannot be read the last known state stands (a feature is never switched off by a database hiccup).
/// One read at a time: when the cached state expires, the first caller reads and everyone else keeps the last known
/// state until that read lands (or, before any state is known, waits for the same read). Without it every request
/// in flight at the moment of expiry read the row itself: ~30 reads per 15 s under 2,000 listing requests/s.
/// </summary>
public sealed class ModuleFeatureToggle<TContext>(
    string name,
    string displayName,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<FeatureToggleOptions> options,
    ILogger<ModuleFeatureToggle<TContext>> logger) : IFeatureToggle
    where TContext : ModuleDbContext
{
    private readonly Lock _gate = new();
    private FeatureState? _cached;
    private DateTimeOffset _readAt;
    private Task<FeatureState>? _reading;

    public string Name => name;

    public string DisplayName => displayName;

    public async ValueTask<bool> IsEnabledAsync(CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<FeatureState>? mine = null;
        Task<FeatureState> reading;
        lock (_gate)
        {
            if (_cached is not null && (_reading is not null || time.GetUtcNow() - _readAt < options.Value.CacheFor))
            {
                return _cached.Enabled;
            }

            if (_reading is null)
            {
                mine = new TaskCompletionSource<FeatureState>(TaskCreationOptions.RunContinuationsAsynchronously);
                _reading = mine.Task;
            }

            reading = _reading;
        }

        if (mine is null)
        {
            return (await reading.WaitAsync(cancellationToken)).Enabled;
        }

        try
        {
            // Not the caller's token: the read is shared, and one caller giving up must not fail the others' answer.
            var state = await GetStateAsync(CancellationToken.None);
            mine.SetResult(state);
            return state.Enabled;
        }
        catch (Exception ex)
        {
            mine.SetException(ex);
            throw;
        }
        finally
        {
            lock (_gate)
            {
                _reading = null;
            }
        }
    }

    public async Task<FeatureState> GetStateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var row = await db.Set<FeatureSwitch>().AsNoTracking().SingleOrDefaultAsync(f => f.Name == name, cancellationToken);
            return Remember(row);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Feature switch {Feature} could not be read; keeping the last known state", name);
            lock (_gate)
            {
                return _cached ?? new FeatureState(name, displayName, true, null, null);
            }
        }
    }

    public async Task<FeatureState> SetEnabledAsync(bool enabled, string actor, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = time.GetUtcNow();
        var row = await db.Set<FeatureSwitch>().SingleOrDefaultAsync(f => f.Name == name, cancellationToken);
        if (row is null)
        {
            row = new FeatureSwitch(name, enabled, now, actor);
            db.Add(row);
        }
        else
        {
            row.Set(enabled, now, actor);
        }

        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Feature {Feature} switched {State} by {Actor}", name, enabled ? "on" : "off", actor);
        return Remember(row);
    }

    private FeatureState Remember(FeatureSwitch? row)
    {
        var state = new FeatureState(name, displayName, row?.Enabled ?? true, row?.ChangedAt, row?.ChangedBy);
        lock (_gate)
        {
            _cached = state;
            _readAt = time.GetUtcNow();
        }

        return state;
    }
}

public static class FeatureToggleServiceCollectionExtensions
{
    /// <summary>Registers a run-time switch stored in <typeparamref name="TContext"/> (which must call AddFeatureSwitches).</summary>
    public static IServiceCollection AddFeatureToggle<TContext>(this IServiceCollection services, string name, string displayName)
        where TContext : ModuleDbContext
    {
        services.AddOptions<FeatureToggleOptions>();
        services.AddSingleton<IFeatureToggle>(sp => ActivatorUtilities.CreateInstance<ModuleFeatureToggle<TContext>>(sp, name, displayName));
        services.TryAddSingleton<IFeatureToggles, FeatureToggles>();
        return services;
    }
}
