using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retail.Modules.Partners.Application;
using Retail.Modules.Partners.Infrastructure;

namespace Retail.Modules.Partners.IntegrationTests;

/// <summary>The module's settings are checked when the host starts (its startup validator), not when a feed first runs.</summary>
public sealed class PartnersOptionsStartupTests
{
    [Fact]
    public void A_batch_size_above_what_catalog_accepts_stops_the_start_and_names_the_setting()
    {
        using var services = Build("5000");

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        error.Message.ShouldContain("Partners:BatchSize must be between 1 and 1000");
    }

    [Fact]
    public void Valid_settings_start_and_are_bound_from_configuration()
    {
        using var services = Build("750");

        services.GetRequiredService<IStartupValidator>().Validate();

        services.GetRequiredService<IOptions<PartnersOptions>>().Value.BatchSize.ShouldBe(750);
    }

    private static ServiceProvider Build(string batchSize)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Retail"] = "Data Source=" + Path.Combine(Path.GetTempPath(), "retail-partners-options-" + Guid.NewGuid().ToString("N") + ".db"),
                ["Partners:BatchSize"] = batchSize,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddPartnersModule(configuration);
        return services.BuildServiceProvider();
    }
}
