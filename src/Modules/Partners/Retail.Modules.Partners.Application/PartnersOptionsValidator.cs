using Retail.BuildingBlocks.Application.Settings;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Partners.Application;

/// <summary>
/// Checked when the app starts: a batch larger than Catalog accepts, for one, made every feed job fail and retry.
/// </summary>
public sealed class PartnersOptionsValidator : SettingsValidator<PartnersOptions>
{
    protected override void Check(SettingsCheck check, PartnersOptions options)
    {
        check
            .Require(options.BatchSize is >= 1 and <= UpsertPartnerProducts.MaxRows,
                $"Partners:BatchSize must be between 1 and {UpsertPartnerProducts.MaxRows} (Catalog's rows per call); it is {options.BatchSize}.")
            .Require(options.MaxFeedBytes > 0, $"Partners:MaxFeedBytes must be positive; it is {options.MaxFeedBytes}.")
            .Require(options.InlineMaxBytes >= 0 && options.InlineMaxBytes <= options.MaxFeedBytes,
                $"Partners:InlineMaxBytes must be between 0 and Partners:MaxFeedBytes; it is {options.InlineMaxBytes}.")
            .AtLeast(options.MaxFieldLength, 1, "Partners:MaxFieldLength")
            .AtLeast(options.MaxStoredErrors, 0, "Partners:MaxStoredErrors")
            .CurrencyCode(options.Currency, "Partners:Currency")
            .Require(options.MaxVanishShare is > 0m and <= 1m, $"Partners:MaxVanishShare must be above 0 and at most 1; it is {options.MaxVanishShare}.")
            .Require(!string.IsNullOrWhiteSpace(options.StorageFolder), "Partners:StorageFolder must name a folder.")
            .AtLeast(options.CallbackRetries, 0, "Partners:CallbackRetries")
            .Positive(options.CallbackBaseDelay, "Partners:CallbackBaseDelay")
            .Positive(options.CallbackTimeout, "Partners:CallbackTimeout")
            .AtLeast(options.MaxJsonDepth, 1, "Partners:MaxJsonDepth")
            .Require(options.DeliveryRetention >= TimeSpan.FromDays(1), $"Partners:DeliveryRetention must be at least 1 day; it is {options.DeliveryRetention}.")
            .Require(options.AuthAuditRetention >= TimeSpan.FromDays(1), $"Partners:AuthAuditRetention must be at least 1 day; it is {options.AuthAuditRetention}.");
    }
}
