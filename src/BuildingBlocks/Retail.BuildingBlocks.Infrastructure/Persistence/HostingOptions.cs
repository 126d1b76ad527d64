using Retail.BuildingBlocks.Application.Settings;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

/// <summary>The <c>Hosting</c> section: <see cref="ThreadPoolTuning"/> reads it before the app is built.</summary>
public sealed class HostingOptions
{
    /// <summary>Thread-pool floor; unset means 32 with SQLite and the runtime's default with SQL Server.</summary>
    public int? MinThreads { get; set; }
}

/// <summary>
/// <see cref="ThreadPoolTuning"/> applies the floor before the options exist, and the thread pool quietly refuses a
/// negative one or one above its maximum: the app ran with another floor than the operator set. Now it does not start.
/// </summary>
public sealed class HostingOptionsValidator : SettingsValidator<HostingOptions>
{
    protected override void Check(SettingsCheck check, HostingOptions options)
    {
        ThreadPool.GetMaxThreads(out var maxWorkers, out _);
        check.Require(options.MinThreads is not { } floor || floor is >= 0 && floor <= maxWorkers,
            $"Hosting:MinThreads must be between 0 and {maxWorkers}; it is {options.MinThreads}.");
    }
}
