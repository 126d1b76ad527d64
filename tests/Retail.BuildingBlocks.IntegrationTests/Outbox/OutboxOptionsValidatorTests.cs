using Retail.BuildingBlocks.Infrastructure.Outbox;

namespace Retail.BuildingBlocks.IntegrationTests.Outbox;

public sealed class OutboxOptionsValidatorTests
{
    private static readonly OutboxOptionsValidator Validator = new();

    [Fact]
    public void The_defaults_and_immediate_retries_are_valid()
    {
        Validator.Validate(null, new OutboxOptions()).Succeeded.ShouldBeTrue();
        Validator.Validate(null, new OutboxOptions { RetryBaseDelay = TimeSpan.Zero }).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void A_claim_that_never_holds_and_no_attempts_are_refused()
    {
        var result = Validator.Validate(null, new OutboxOptions { BatchSize = 0, ClaimDuration = TimeSpan.Zero, MaxAttempts = 0 });

        result.Failures.ShouldBe(
        [
            "Outbox:BatchSize must be at least 1; it is 0.",
            "Outbox:ClaimDuration must be a positive duration; it is 00:00:00.",
            "Outbox:MaxAttempts must be at least 1; it is 0.",
        ]);
    }

    [Fact]
    public void A_retention_shorter_than_an_hour_is_refused()
    {
        Validator.Validate(null, new OutboxOptions { Retention = TimeSpan.FromHours(1) }).Succeeded.ShouldBeTrue();

        Validator.Validate(null, new OutboxOptions { Retention = TimeSpan.FromMinutes(59) }).Failures.ShouldBe(
            ["Outbox:Retention must be at least 1 hour (a receipt must outlive any redelivery); it is 00:59:00."]);
    }
}
