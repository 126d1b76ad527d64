using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Identity.Application.SignIn;

namespace Retail.Modules.Identity.Application.Abstractions;

public sealed record UserSummaryDto(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool IsLockedOut, DateTimeOffset CreatedAt);

/// <summary>What the back office's rules look at before changing an account: its roles and whether it is locked now.</summary>
public sealed record UserAccessDto(string Id, string Email, IReadOnlyList<string> Roles, bool IsLockedOut);

/// <summary>What the Identity use cases need from ASP.NET Core Identity, kept behind an interface in Infrastructure.</summary>
public interface IIdentityService
{
    Task<Result<string>> CreateCustomerAsync(string email, string password, string displayName, CancellationToken cancellationToken);

    /// <summary>Creates an account with the given role (e.g. a partner's staff); returns the new user id.</summary>
    Task<Result<string>> CreateUserInRoleAsync(string email, string password, string displayName, string role, CancellationToken cancellationToken);

    /// <summary>
    /// Checks the password, counts failures towards lockout, and on success issues the auth cookie, or, when the account has
    /// two-factor authentication on, only notes whose password was right and answers <see cref="SignInOutcome.RequiresTwoFactor"/>.
    /// </summary>
    Task<Result<SignInOutcome>> PasswordSignInAsync(string email, string password, bool rememberMe, CancellationToken cancellationToken);

    /// <summary>Finishes a two-step sign-in with the authenticator app's code; a wrong code counts towards lockout.</summary>
    Task<Result> TwoFactorSignInAsync(string code, bool rememberMe, CancellationToken cancellationToken);

    /// <summary>Finishes a two-step sign-in with a recovery code, which is spent.</summary>
    Task<Result> RecoveryCodeSignInAsync(string recoveryCode, CancellationToken cancellationToken);

    Task SignOutAsync();

    /// <summary>
    /// Emails the account a link that confirms its address. Best effort: a failed send is logged and the caller goes on
    /// (a registration must not fail because the mail server is down; "Forgot your password?" sends a new link).
    /// </summary>
    Task SendEmailConfirmationAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Emails a reset code and link to a confirmed account, a confirmation link to an unconfirmed one, nothing when no
    /// account has the email; fails only when the address has asked too often (the same for every address). An email that
    /// cannot be sent is logged and answered like the rest, so a mail outage does not tell which addresses have accounts.
    /// </summary>
    Task<Result> RequestPasswordResetAsync(string email, CancellationToken cancellationToken);

    /// <summary>
    /// Emails a new confirmation link when an account with this email has not confirmed it yet, nothing otherwise; fails
    /// only when the address has asked too often (the same limit, shared with <see cref="RequestPasswordResetAsync"/>).
    /// </summary>
    Task<Result> ResendEmailConfirmationAsync(string email, CancellationToken cancellationToken);

    /// <summary>Sets the new password when the code is valid for the account; a wrong email and a wrong code look the same.</summary>
    Task<Result> ResetPasswordAsync(string email, string code, string newPassword, CancellationToken cancellationToken);

    Task<Result> ConfirmEmailAsync(string userId, string code, CancellationToken cancellationToken);

    /// <summary>
    /// Changes the account's email (and with it the user name it signs in with) to the address the code was issued for by
    /// <c>POST /api/identity/manage/info</c>; a wrong user, code or address looks the same as an expired link.
    /// </summary>
    Task<Result> ConfirmEmailChangeAsync(string userId, string code, string newEmail, CancellationToken cancellationToken);

    /// <summary>
    /// Creates an account in the role with no password (nothing signs in with a password until the member sets one with the
    /// invitation's code) and its address not yet confirmed; returns the new user id. A taken email is a conflict.
    /// </summary>
    Task<Result<string>> CreateInvitedUserAsync(string email, string displayName, string role, CancellationToken cancellationToken);

    /// <summary>
    /// Emails the invitation: a link to the reset-password page with a fresh reset code. False (and the failure logged) when
    /// there is no such account or the email could not be sent.
    /// </summary>
    Task<bool> SendStaffInvitationAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The account's roles and lock state now, or null when no account has the id.</summary>
    Task<UserAccessDto?> FindUserAccessAsync(string userId, CancellationToken cancellationToken);

    Task<int> CountUsersInRoleAsync(string role, CancellationToken cancellationToken);

    /// <summary>Adds or removes the role and replaces the security stamp, so sessions holding the old roles end (ADR 0012).</summary>
    Task ChangeRoleAsync(string userId, string role, bool grant, CancellationToken cancellationToken);

    /// <summary>
    /// Locks the account until unlocked (and ends its sessions through a new security stamp), or ends any lockout, also
    /// one of failed sign-ins.
    /// </summary>
    Task SetLockedAsync(string userId, bool locked, CancellationToken cancellationToken);

    Task<PagedResult<UserSummaryDto>> ListUsersAsync(string? search, int page, int pageSize, CancellationToken cancellationToken);
}

/// <summary>The Identity module's context as its handlers see it (only the outbox: users go through <see cref="IIdentityService"/>).</summary>
public interface IIdentityDbContext : IModuleDbContext;
