using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Identity.Domain;

/// <summary>The shop's account rules: password strength and lockout (SPEC S4). Infrastructure feeds them to ASP.NET Core Identity.</summary>
public static class AccountPolicy
{
    public const int MinimumPasswordLength = 10;

    /// <summary>What the sign-in accepts, so no way of setting a password may go past it.</summary>
    public const int MaxPasswordLength = 200;
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    public const int MaxDisplayNameLength = 100;

    /// <summary>
    /// The characters an email (which is the user name) may hold: ASCII letters and digits, Identity's -._@+ and the rest
    /// of what an email's local part may hold (RFC 5322 atext). No spaces, control characters or accented letters.
    /// </summary>
    public const string EmailCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+!#$%&'*/=?^`{|}~";

}

/// <summary>A display name is shown to staff and in emails; it must be printable and short.</summary>
public sealed class DisplayNameMustBePrintableRule(string displayName) : IBusinessRule
{
    public bool IsBroken() =>
        string.IsNullOrWhiteSpace(displayName) || displayName.Length > AccountPolicy.MaxDisplayNameLength || displayName.Any(char.IsControl);

    public string Message => $"A display name has 1–{AccountPolicy.MaxDisplayNameLength} printable characters.";
}

/// <summary>
/// The email is the user name, which Identity checks against <see cref="AccountPolicy.EmailCharacters"/>; checked first so
/// the refusal talks about the email (Identity's speaks of a user name nobody typed) beside the form's other errors.
/// </summary>
public sealed class EmailMustUseAcceptedCharactersRule(string email) : IBusinessRule
{
    public const string Explanation =
        "An email address here may hold letters a–z, digits and the characters . _ - + ' ! # $ % & * / = ? ^ ` { | } ~ (no spaces or accented letters).";

    /// <summary>A missing email is another rule's to report.</summary>
    public bool IsBroken() => email is not null && !email.Trim().All(AccountPolicy.EmailCharacters.Contains);

    public string Message => Explanation;
}
