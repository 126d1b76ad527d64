using Microsoft.Extensions.Options;

namespace Retail.BuildingBlocks.Application.Settings;

/// <summary>
/// The failures of one settings check, each a sentence that names its configuration key and the value found. Every rule
/// is checked (an operator fixes all of them in one go); the module's <see cref="IValidateOptions{TOptions}"/> returns
/// <see cref="Result"/>, and the app refuses to start while any fails (<c>AddCheckedOptions</c>).
/// </summary>
public sealed class SettingsCheck
{
    private readonly List<string> _failures = [];

    public ValidateOptionsResult Result => _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);

    public SettingsCheck Require(bool valid, string failure)
    {
        if (!valid)
        {
            _failures.Add(failure);
        }

        return this;
    }

    public SettingsCheck Positive(TimeSpan value, string key) => Require(value > TimeSpan.Zero, $"{key} must be a positive duration; it is {value}.");

    public SettingsCheck AtLeast(int value, int minimum, string key) => Require(value >= minimum, $"{key} must be at least {minimum}; it is {value}.");

    public SettingsCheck CurrencyCode(string? value, string key) =>
        Require(value is { Length: 3 } && value.All(char.IsAsciiLetterUpper), $"{key} must be a three-letter ISO code in capitals such as USD; it is '{value}'.");
}
