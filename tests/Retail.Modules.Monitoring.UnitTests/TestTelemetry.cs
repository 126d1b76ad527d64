using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Retail.Modules.Monitoring.Application.Timing;

namespace Retail.Modules.Monitoring.UnitTests;

internal static class TestTelemetry
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    public static IMeterFactory MeterFactory() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static (RequestTimingRecorder Recorder, FakeTimeProvider Time) Recorder()
    {
        var time = new FakeTimeProvider(Start);
        return (new RequestTimingRecorder(time, MeterFactory()), time);
    }
}
