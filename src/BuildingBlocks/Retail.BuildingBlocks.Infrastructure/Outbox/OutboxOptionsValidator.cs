using Retail.BuildingBlocks.Application.Settings;

namespace Retail.BuildingBlocks.Infrastructure.Outbox;

/// <summary>Checked when the app starts (a zero claim duration would let two relays deliver the same rows, a short retention would delete receipts a redelivery still needs).</summary>
public sealed class OutboxOptionsValidator : SettingsValidator<OutboxOptions>
{
    protected override void Check(SettingsCheck check, OutboxOptions options)
    {
        check
            .AtLeast(options.BatchSize, 1, "Outbox:BatchSize")
            .Positive(options.ClaimDuration, "Outbox:ClaimDuration")
            .Require(options.RetryBaseDelay >= TimeSpan.Zero, $"Outbox:RetryBaseDelay cannot be negative; it is {options.RetryBaseDelay}.")
            .AtLeast(options.MaxAttempts, 1, "Outbox:MaxAttempts")
            .Require(options.Retention >= TimeSpan.FromHours(1), $"Outbox:Retention must be at least 1 hour (a receipt must outlive any redelivery); it is {options.Retention}.");
    }
}
