using Retail.Modules.Payments.Infrastructure.Resilience;

namespace Retail.Modules.Payments.UnitTests;

public sealed class PaymentsResilienceOptionsValidatorTests
{
    private static readonly PaymentsResilienceOptionsValidator Validator = new();

    [Fact]
    public void The_defaults_and_the_tests_immediate_retries_make_a_valid_pipeline()
    {
        Validator.Validate(null, new PaymentsResilienceOptions()).Succeeded.ShouldBeTrue();
        Validator.Validate(null, new PaymentsResilienceOptions { RetryBaseDelay = TimeSpan.Zero }).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData(nameof(PaymentsResilienceOptions.MinimumThroughput))]
    [InlineData(nameof(PaymentsResilienceOptions.BreakDuration))]
    [InlineData(nameof(PaymentsResilienceOptions.AttemptTimeout))]
    public void Numbers_polly_would_refuse_at_the_first_payment_are_refused_at_start_with_pollys_reason(string setting)
    {
        var options = setting switch
        {
            nameof(PaymentsResilienceOptions.MinimumThroughput) => new PaymentsResilienceOptions { MinimumThroughput = 1 },
            nameof(PaymentsResilienceOptions.BreakDuration) => new PaymentsResilienceOptions { BreakDuration = TimeSpan.FromMilliseconds(10) },
            _ => new PaymentsResilienceOptions { AttemptTimeout = TimeSpan.Zero },
        };

        var failure = Validator.Validate(null, options).Failures.ShouldHaveSingleItem();

        failure.ShouldStartWith("Payments:Resilience does not make a valid payment pipeline:");
        failure.ShouldContain(setting == nameof(PaymentsResilienceOptions.AttemptTimeout) ? "Timeout" : setting);
    }
}
