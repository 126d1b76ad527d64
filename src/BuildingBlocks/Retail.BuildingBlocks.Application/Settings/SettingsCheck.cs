using Microsoft.Extensions.Options;

namespace Retail.BuildingBlocks.Application.Settings;

/// <summary>
/// A module's settings check, run when the app starts (<c>AddCheckedOptions</c>): the app refuses to start while any rule
/// fails, and names every failing key with its value.
/// </summary>
public abstract class SettingsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var check = new SettingsCheck();
        Check(check, options);
        return check.Result;
    }

    protected abstract void Check(SettingsCheck check, TOptions options);
}

/// <summary>
/// The failures of one settings check, each a sentence that names its configuration key and the value found. Every rule
/// is checked, so an operator fixes all of them in one go.
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
