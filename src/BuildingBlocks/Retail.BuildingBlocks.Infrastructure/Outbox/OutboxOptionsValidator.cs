using Retail.BuildingBlocks.Application.Settings;

namespace Retail.BuildingBlocks.Infrastructure.Outbox;

/// <summary>Checked when the app starts (a zero claim duration would let two relays deliver the same rows).</summary>
public sealed class OutboxOptionsValidator : SettingsValidator<OutboxOptions>
{
    protected override void Check(SettingsCheck check, OutboxOptions options)
    {
        check
            .AtLeast(options.BatchSize, 1, "Outbox:BatchSize")
            .Positive(options.ClaimDuration, "Outbox:ClaimDuration")
            .Require(options.RetryBaseDelay >= TimeSpan.Zero, $"Outbox:RetryBaseDelay cannot be negative; it is {options.RetryBaseDelay}.")
            .AtLeast(options.MaxAttempts, 1, "Outbox:MaxAttempts");
    }
}
