using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Identity.Domain;

/// <summary>The shop's account rules: password strength and lockout (SPEC S4). Infrastructure feeds them to ASP.NET Core Identity.</summary>
public static class AccountPolicy
{
    public const int MinimumPasswordLength = 10;
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    public const int MaxDisplayNameLength = 100;
}

/// <summary>A display name is shown to staff and in emails; it must be printable and short.</summary>
public sealed class DisplayNameMustBePrintableRule(string displayName) : IBusinessRule
{
    public bool IsBroken() =>
        string.IsNullOrWhiteSpace(displayName) || displayName.Length > AccountPolicy.MaxDisplayNameLength || displayName.Any(char.IsControl);

    public string Message => $"A display name has 1–{AccountPolicy.MaxDisplayNameLength} printable characters.";
}
