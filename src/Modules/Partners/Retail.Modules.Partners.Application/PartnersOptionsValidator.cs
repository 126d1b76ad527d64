using Microsoft.Extensions.Options;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Partners.Application;

/// <summary>
/// Checked when the app starts (<c>ValidateOnStart</c>): a value outside these ranges would otherwise surface much later,
/// e.g. a batch larger than Catalog accepts makes every feed job fail and retry, so the app refuses to start instead and
/// names the setting.
/// </summary>
public sealed class PartnersOptionsValidator : IValidateOptions<PartnersOptions>
{
    public ValidateOptionsResult Validate(string? name, PartnersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Require(bool valid, string failure)
        {
            if (!valid)
            {
                failures.Add(failure);
            }
        }

        Require(options.BatchSize is >= 1 and <= UpsertPartnerProducts.MaxRows,
            $"Partners:BatchSize must be between 1 and {UpsertPartnerProducts.MaxRows} (Catalog's rows per call); it is {options.BatchSize}.");
        Require(options.MaxFeedBytes > 0, $"Partners:MaxFeedBytes must be positive; it is {options.MaxFeedBytes}.");
        Require(options.InlineMaxBytes >= 0 && options.InlineMaxBytes <= options.MaxFeedBytes,
            $"Partners:InlineMaxBytes must be between 0 and Partners:MaxFeedBytes; it is {options.InlineMaxBytes}.");
        Require(options.MaxFieldLength > 0, $"Partners:MaxFieldLength must be positive; it is {options.MaxFieldLength}.");
        Require(options.MaxStoredErrors >= 0, $"Partners:MaxStoredErrors cannot be negative; it is {options.MaxStoredErrors}.");
        Require(options.Currency is { Length: 3 } currency && currency.All(char.IsAsciiLetterUpper),
            $"Partners:Currency must be a three-letter ISO code in capitals such as USD; it is '{options.Currency}'.");
        Require(options.MaxVanishShare is > 0m and <= 1m, $"Partners:MaxVanishShare must be above 0 and at most 1; it is {options.MaxVanishShare}.");
        Require(!string.IsNullOrWhiteSpace(options.StorageFolder), "Partners:StorageFolder must name a folder.");
        Require(options.CallbackRetries >= 0, $"Partners:CallbackRetries cannot be negative; it is {options.CallbackRetries}.");
        Require(options.CallbackBaseDelay > TimeSpan.Zero, $"Partners:CallbackBaseDelay must be positive; it is {options.CallbackBaseDelay}.");
        Require(options.CallbackTimeout > TimeSpan.Zero, $"Partners:CallbackTimeout must be positive; it is {options.CallbackTimeout}.");
        Require(options.MaxJsonDepth > 0, $"Partners:MaxJsonDepth must be positive; it is {options.MaxJsonDepth}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
