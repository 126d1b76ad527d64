using Retail.BuildingBlocks.Application.Settings;

namespace Retail.Modules.Identity.Application;

/// <summary>Checked when the app starts (a zero interval would read the account on every signed-in request).</summary>
public sealed class IdentityModuleOptionsValidator : SettingsValidator<IdentityModuleOptions>
{
    protected override void Check(SettingsCheck check, IdentityModuleOptions options) =>
        check.Positive(options.SecurityStampValidationInterval, "Identity:SecurityStampValidationInterval");
}
