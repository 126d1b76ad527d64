using Microsoft.Extensions.Options;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>Every module's settings are checked when the app starts: a bad value stops the start and is named.</summary>
public sealed class SettingsCheckTests
{
    [Theory]
    [InlineData("Ordering:CheckoutGate:PermitLimit", "0")]
    [InlineData("FlashSales:ListingRefresh", "00:00:00")]
    [InlineData("Returns:ReturnWindow", "00:00:00")]
    [InlineData("Partners:BatchSize", "5000")]
    [InlineData("Outbox:MaxAttempts", "0")]
    public void The_app_does_not_start_with_an_out_of_range_setting_and_says_which(string key, string value)
    {
        using var factory = new MisconfiguredAppFactory(key, value);

        var error = Should.Throw<OptionsValidationException>(() => factory.CreateClient());

        error.Message.ShouldStartWith(key + " ");
    }

    private sealed class MisconfiguredAppFactory(string key, string value) : RetailAppFactory
    {
        protected override IDictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            settings[key] = value;
            settings["Logging:LogLevel:Default"] = "None";
            return settings;
        }
    }
}
