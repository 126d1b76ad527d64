namespace Retail.Host.FunctionalTests.Monitoring;

/// <summary>
/// The tests that read instruments off a host's own <c>/metrics</c> scrape run alone, after the parallel ones. Several app
/// hosts live in this test process, each with a <c>Retail.Monitoring</c> meter from its own IMeterFactory, and the
/// OpenTelemetry SDK stops every meter of a name when one of them is disposed (open-telemetry/opentelemetry-dotnet#6412):
/// another test's host shutting down made this host's observable counters vanish from its scrape (seen once in CI).
/// Production runs one host per process and never disposes a meter before it stops.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsScrapeCollection
{
    public const string Name = "metrics scrape (runs alone)";
}
