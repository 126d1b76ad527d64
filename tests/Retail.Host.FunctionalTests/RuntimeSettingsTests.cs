using System.Text.Json;

namespace Retail.Host.FunctionalTests;

/// <summary>
/// The runtime settings the Host ships in its <c>Retail.Host.runtimeconfig.json</c> (set in Retail.Host.csproj). Each was
/// measured (docs/benchmarks.md) and none shows in a functional test, which runs the app inside the test process with the
/// test host's own runtime settings; so the file the app starts with is read here.
/// </summary>
public sealed class RuntimeSettingsTests
{
    private static readonly JsonElement Settings = ReadHostSettings();

    [Fact]
    public void Hot_methods_tier_up_without_waiting_for_a_quiet_moment()
    {
        // A server under load never has the quiet moment the default waits for (1 s on one core): it ran tier-0 code.
        Settings.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32().ShouldBe(0);
    }

    [Fact]
    public void Dynamic_pgo_is_off_and_server_gc_is_on()
    {
        Settings.GetProperty("System.Runtime.TieredPGO").GetBoolean().ShouldBeFalse();
        Settings.GetProperty("System.GC.Server").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void A_feed_batch_buffer_of_up_to_4_MB_is_not_a_large_object()
    {
        Settings.GetProperty("System.GC.LOHThreshold").GetInt32().ShouldBe(4 * 1024 * 1024);
    }

    private static JsonElement ReadHostSettings()
    {
        var folder = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
        var path = Path.Combine(folder, "Retail.Host.runtimeconfig.json");
        File.Exists(path).ShouldBeTrue($"the Host's runtime settings should be built next to Retail.Host.dll ({path})");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
