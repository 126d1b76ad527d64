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

    /// <summary>
    /// The site's public address (e.g. <c>https://shop.example.com</c>) that links in account emails (confirmation, password
    /// reset) start with. Empty: the address the request came in on, which only the Host header decides unless
    /// <c>AllowedHosts</c> or a proxy pins it; set it in production so a forged Host header cannot point a customer's
    /// reset link at another site.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// How many account emails anyone may ask for one address within <see cref="PasswordResetEmailWindow"/>: "forgot
    /// password" and "resend the confirmation" requests share the count; more are refused (for any address alike, so the
    /// refusal says nothing about accounts). Stops mail-bombing.
    /// </summary>
    public int PasswordResetEmailLimit { get; set; } = 3;

    public TimeSpan PasswordResetEmailWindow { get; set; } = TimeSpan.FromMinutes(15);
}
