namespace Retail.Modules.Payments.Infrastructure.Gateway;

/// <summary>Where the simulator's dice come from; injected so tests decide every failure and timeout.</summary>
public interface IRandomSource
{
    /// <summary>A number in [0, 1).</summary>
    double NextDouble();
}

internal sealed class SystemRandomSource : IRandomSource
{
    public double NextDouble() => Random.Shared.NextDouble();
}
