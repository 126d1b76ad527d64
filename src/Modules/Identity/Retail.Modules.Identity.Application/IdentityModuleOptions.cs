namespace Retail.Modules.Identity.Application;

/// <summary>Settings of the Identity module, section <c>Identity</c> (the first super-admin has its own, <c>Identity:SuperAdmin</c>).</summary>
public sealed class IdentityModuleOptions
{
    /// <summary>
    /// How stale a sign-in may be: a cookie or bearer token is checked against the account's security stamp (which a
    /// password change or reset replaces) at most this long after it was issued or last checked, so every other session of
    /// an account whose password changed ends within this time. Shorter costs more account reads; the framework's own
    /// default, 30 minutes for cookies and never for bearer tokens, left a stolen session working long after the change.
    /// </summary>
    public TimeSpan SecurityStampValidationInterval { get; set; } = TimeSpan.FromMinutes(1);
}
