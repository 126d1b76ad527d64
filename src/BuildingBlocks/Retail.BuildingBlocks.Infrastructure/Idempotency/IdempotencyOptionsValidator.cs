using Retail.BuildingBlocks.Application.Settings;

namespace Retail.BuildingBlocks.Infrastructure.Idempotency;

/// <summary>Checked when the app starts: a retention shorter than a day would forget keys a client may still be retrying.</summary>
public sealed class IdempotencyOptionsValidator : SettingsValidator<IdempotencyOptions>
{
    protected override void Check(SettingsCheck check, IdempotencyOptions options) =>
        check.Require(options.Retention >= TimeSpan.FromDays(1), $"Idempotency:Retention must be at least 1 day (a client may still be retrying with the key); it is {options.Retention}.");
}
