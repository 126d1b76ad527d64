using Microsoft.Extensions.Options;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>Every module's settings are checked when the app starts: a bad value stops the start and is named.</summary>
public sealed class SettingsCheckTests
{
    [Theory]
    [InlineData("Ordering:CheckoutGate:PermitLimit", "0", "Ordering:CheckoutGate:PermitLimit must be at least 1")]
    [InlineData("FlashSales:ListingRefresh", "00:00:00", "FlashSales:ListingRefresh must be a positive duration")]
    [InlineData("Returns:ReturnWindow", "00:00:00", "Returns:ReturnWindow must be a positive duration")]
    [InlineData("Partners:BatchSize", "5000", "Partners:BatchSize must be between 1 and 1000")]
    [InlineData("Outbox:MaxAttempts", "0", "Outbox:MaxAttempts must be at least 1")]
    // Hangfire refused a zero or negative worker count only when the job server started (or never, with the server off),
    // and a dedicated queue's zero was quietly raised to one.
    [InlineData("Jobs:WorkerCount", "0", "Jobs:WorkerCount must be at least 1")]
    [InlineData("Jobs:WorkerCount", "-4", "Jobs:WorkerCount must be at least 1")]
    [InlineData("Jobs:Queues:feeds", "0", "Jobs:Queues:feeds must be at least 1")]
    // A queue no module registers (a typo, or the right name in another case) was silently ignored: the feed server kept
    // its default of one worker while the operator believed they had given it more.
    [InlineData("Jobs:Queues:feed", "4", "Jobs:Queues:feed is not a job queue; the queues are: feeds")]
    [InlineData("Jobs:Queues:Feeds", "4", "Jobs:Queues:Feeds is not a job queue; the queues are: feeds")]
    // Read straight from configuration before the app is built, so a negative floor was skipped without a word.
    [InlineData("Hosting:MinThreads", "-4", "Hosting:MinThreads must be between 0 and ")]
    // Polly's own rule (a breaker needs at least 2 calls to judge), checked at start rather than at the first payment.
    [InlineData("Payments:Resilience:MinimumThroughput", "1", "Payments:Resilience does not make a valid payment pipeline")]
    public void The_app_does_not_start_with_an_out_of_range_setting_and_says_which(string key, string value, string failure)
    {
        using var factory = new MisconfiguredAppFactory(key, value);

        var error = Should.Throw<OptionsValidationException>(() => factory.CreateClient());

        error.Message.ShouldStartWith(failure);
    }

    [Fact]
    public void The_app_does_not_start_with_a_redis_connection_string_it_cannot_read_and_says_so()
    {
        // Before, it started, never reached Redis, and served with per-instance limits and cache for good ("degraded").
        using var factory = new MisconfiguredAppFactory("ConnectionStrings:Redis", "127.0.0.1:6379,no-such-option=1");

        var error = Should.Throw<InvalidOperationException>(() => factory.CreateClient());

        error.Message.ShouldStartWith("ConnectionStrings:Redis is not a Redis connection string");
        error.Message.ShouldContain("no-such-option");
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
