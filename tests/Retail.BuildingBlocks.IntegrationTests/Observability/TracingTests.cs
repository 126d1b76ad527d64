using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using Retail.BuildingBlocks.Infrastructure.Observability;

namespace Retail.BuildingBlocks.IntegrationTests.Observability;

/// <summary>Spans are recorded only when an OTLP collector is configured; metrics are always on (Prometheus scrapes them).</summary>
public sealed class TracingTests
{
    [Fact]
    public void Without_a_collector_no_spans_are_recorded()
    {
        using var services = Build(otlpEndpoint: null);

        services.GetService<TracerProvider>().ShouldBeNull();
        services.GetService<OpenTelemetry.Metrics.MeterProvider>().ShouldNotBeNull();
    }

    [Fact]
    public void With_a_collector_spans_are_recorded_and_exported()
    {
        using var services = Build(otlpEndpoint: "http://127.0.0.1:4317");

        services.GetService<TracerProvider>().ShouldNotBeNull();
    }

    private static ServiceProvider Build(string? otlpEndpoint)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint });
        builder.AddRetailObservability();
        return builder.Services.BuildServiceProvider();
    }
}
