namespace Retail.BuildingBlocks.Application.Features;

/// <summary>The features an admin can switch off at run time (SPEC M4). Names are stable: they appear in URLs and logs.</summary>
public static class Features
{
    public const string FlashSales = "flash-sales";
    public const string PartnerIngest = "partner-ingest";
    public const string Returns = "returns";
}

/// <summary>
/// One run-time switch, owned by the module whose feature it is (its row lives in that module's tables). Reads are cached
/// for a few seconds per instance, so a hot path can ask on every request; a switch made on this instance is seen at once,
/// other instances see it within <see cref="FeatureToggleOptions.CacheFor"/>.
/// </summary>
public interface IFeatureToggle
{
    /// <summary>Stable name, one of <see cref="Features"/>.</summary>
    string Name { get; }

    /// <summary>What the admin page calls it, e.g. "Flash sales".</summary>
    string DisplayName { get; }

    ValueTask<bool> IsEnabledAsync(CancellationToken cancellationToken = default);

    Task<FeatureState> GetStateAsync(CancellationToken cancellationToken = default);

    Task<FeatureState> SetEnabledAsync(bool enabled, string actor, CancellationToken cancellationToken = default);
}

/// <summary>A switch as the admin page shows it. Features are on until someone switches them off.</summary>
public sealed record FeatureState(string Name, string DisplayName, bool Enabled, DateTimeOffset? ChangedAt, string? ChangedBy);

public sealed class FeatureToggleOptions
{
    /// <summary>How long an instance trusts the switch it read last.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>All registered switches, by name.</summary>
public interface IFeatureToggles
{
    IReadOnlyList<IFeatureToggle> All { get; }

    /// <summary>The switch called <paramref name="name"/>, or null when no module registered one.</summary>
    IFeatureToggle? Find(string name);
}

public sealed class FeatureToggles(IEnumerable<IFeatureToggle> toggles) : IFeatureToggles
{
    private readonly IReadOnlyList<IFeatureToggle> _all = [.. toggles.OrderBy(t => t.DisplayName, StringComparer.Ordinal)];

    public IReadOnlyList<IFeatureToggle> All => _all;

    public IFeatureToggle? Find(string name) => _all.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The problem a switched-off feature answers with (503 with problem details on APIs).</summary>
    public static Error Unavailable(string displayName) =>
        new("feature.unavailable", $"{displayName} are not available right now. Please check back later.", ErrorKind.Unavailable);
}
