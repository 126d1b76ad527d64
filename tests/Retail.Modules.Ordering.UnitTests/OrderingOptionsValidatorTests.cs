using Retail.Modules.Ordering.Application;

namespace Retail.Modules.Ordering.UnitTests;

public sealed class OrderingOptionsValidatorTests
{
    private static readonly OrderingOptionsValidator Validator = new();

    [Fact]
    public void The_defaults_and_a_gate_without_a_queue_are_valid()
    {
        Validator.Validate(null, new OrderingOptions()).Succeeded.ShouldBeTrue();
        Validator.Validate(null, new OrderingOptions { CheckoutGate = new CheckoutGateOptions { QueueLimit = 0 } }).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Settings_that_would_refuse_every_checkout_are_named_with_their_values()
    {
        var result = Validator.Validate(null, new OrderingOptions
        {
            CheckoutRateLimit = new CheckoutRateLimitOptions { PermitLimit = 0, Window = TimeSpan.Zero },
            CheckoutGate = new CheckoutGateOptions { PermitLimit = 0 },
            Currency = "Dollars",
        });

        result.Failures.ShouldBe(
        [
            "Ordering:CheckoutRateLimit:PermitLimit must be at least 1; it is 0.",
            "Ordering:CheckoutRateLimit:Window must be a positive duration; it is 00:00:00.",
            "Ordering:CheckoutGate:PermitLimit must be at least 1; it is 0.",
            "Ordering:Currency must be a three-letter ISO code in capitals such as USD; it is 'Dollars'.",
        ]);
    }

    [Fact]
    public void A_zero_grace_for_interrupted_checkouts_would_take_over_live_ones_and_is_refused()
    {
        var result = Validator.Validate(null, new OrderingOptions { InterruptedCheckoutAfter = TimeSpan.Zero });

        result.Failures.ShouldBe(["Ordering:InterruptedCheckoutAfter must be a positive duration; it is 00:00:00."]);
    }
}
