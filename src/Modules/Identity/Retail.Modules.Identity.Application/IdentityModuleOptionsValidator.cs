using Retail.BuildingBlocks.Application.Settings;

namespace Retail.Modules.Identity.Application;

/// <summary>Checked when the app starts (a zero interval would read the account on every signed-in request).</summary>
public sealed class IdentityModuleOptionsValidator : SettingsValidator<IdentityModuleOptions>
{
    protected override void Check(SettingsCheck check, IdentityModuleOptions options) =>
        check.Positive(options.SecurityStampValidationInterval, "Identity:SecurityStampValidationInterval")
            .AtLeast(options.PasswordResetEmailLimit, 1, "Identity:PasswordResetEmailLimit")
            .Positive(options.PasswordResetEmailWindow, "Identity:PasswordResetEmailWindow")
            .Require(
                string.IsNullOrWhiteSpace(options.PublicBaseUrl)
                    || Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp),
                $"Identity:PublicBaseUrl must be an absolute http(s) address such as https://shop.example.com; it is '{options.PublicBaseUrl}'.");
}
