using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Settings;

namespace Retail.BuildingBlocks.Infrastructure.Outbox;

/// <summary>Checked when the app starts (a zero claim duration would let two relays deliver the same rows).</summary>
public sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SettingsCheck()
            .AtLeast(options.BatchSize, 1, "Outbox:BatchSize")
            .Positive(options.ClaimDuration, "Outbox:ClaimDuration")
            .Require(options.RetryBaseDelay >= TimeSpan.Zero, $"Outbox:RetryBaseDelay cannot be negative; it is {options.RetryBaseDelay}.")
            .AtLeast(options.MaxAttempts, 1, "Outbox:MaxAttempts")
            .Result;
    }
}
