using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Infrastructure.Redis;
using Retail.Modules.Identity.Application;
using Retail.Modules.Identity.Infrastructure.Email;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Identity.Application.Abstractions;
using Retail.Modules.Identity.Application.SignIn;
using Retail.Modules.Identity.Infrastructure.Persistence;

namespace Retail.Modules.Identity.Infrastructure;

internal sealed partial class IdentityService(
    UserManager<RetailUser> users,
    SignInManager<RetailUser> signIn,
    IEmailSender<RetailUser> accountEmails,
    Retail.BuildingBlocks.Application.Abstractions.IEmailSender mail,
    AccountLinks links,
    ISlidingWindowRateLimiter limiter,
    IOptions<IdentityModuleOptions> options,
    TimeProvider time,
    ILogger<IdentityService> logger,
    IdentityModuleDbContext db) : IIdentityService
{
    /// <summary>One answer for a wrong email, a wrong code and an expired one, so the form cannot be used to probe accounts.</summary>
    public static readonly Error InvalidResetCode = new("identity.invalid_reset_code",
        "This password reset code is not valid or has expired, and your password was not changed. Ask for a new email with \"Forgot your password?\".",
        ErrorKind.Validation);

    public static readonly Error InvalidConfirmationLink = new("identity.invalid_confirmation_link",
        "This confirmation link is not valid or has expired. Ask for a new one with \"Forgot your password?\" on the sign-in page.", ErrorKind.Validation);

    /// <summary>A change of address to one another account has: asked for (manage/info) or confirmed after it was taken.</summary>
    public static readonly Error EmailChangeTaken = Error.Conflict("identity.email_taken", "Another account already uses this email address, so yours was not changed.");

    public static readonly Error InvalidCredentials = new("identity.invalid_credentials", "Email or password is not correct.", ErrorKind.Unauthorized);

    public static readonly Error WrongTwoFactorCode = new("identity.invalid_two_factor_code",
        "That code is not correct. Enter the 6-digit code your authenticator app shows now.", ErrorKind.Unauthorized);

    public static readonly Error WrongRecoveryCode = new("identity.invalid_recovery_code",
        "That recovery code is not correct or was already used. Check it, or use the code from your authenticator app.", ErrorKind.Unauthorized);

    /// <summary>The note of whose password was right lasts minutes; after that (or in another browser) the password comes first again.</summary>
    public static readonly Error TwoFactorSignInExpired = new("identity.two_factor_expired",
        "This sign-in has expired or was started in another browser. Sign in with your email and password again.", ErrorKind.Unauthorized);

    /// <summary>An admin's lock (users page) has no end: it lasts until an admin unlocks the account.</summary>
    internal static readonly DateTimeOffset AdminLockEnd = DateTimeOffset.MaxValue;

    private bool IsLockedByAdmin(RetailUser user) => user.LockoutEnd - time.GetUtcNow() > Domain.AccountPolicy.LockoutDuration;

    public static readonly Error LockedByAdmin = new("identity.locked_out",
        "This account is locked by an admin. Ask an admin of the shop to unlock it.", ErrorKind.Forbidden);

    /// <summary>The time really left of the lockout, rounded up to whole minutes, so a customer is never told to come back too early.</summary>
    public static Error LockedOut(TimeSpan left)
    {
        // Longer than any lockout of failed sign-ins: an admin's lock, which no wait ends.
        if (left > Domain.AccountPolicy.LockoutDuration)
        {
            return LockedByAdmin;
        }

        var minutes = Math.Max(1, (int)Math.Ceiling(left.TotalMinutes));
        return new Error("identity.locked_out",
            $"This account is locked after too many failed sign-ins. Try again in {minutes} {(minutes == 1 ? "minute" : "minutes")}.", ErrorKind.Forbidden);
    }

    public Task<Result<string>> CreateCustomerAsync(string email, string password, string displayName, CancellationToken cancellationToken) =>
        CreateUserInRoleAsync(email, password, displayName, Roles.Customer, cancellationToken);

    public async Task<Result<string>> CreateUserInRoleAsync(string email, string password, string displayName, string role, CancellationToken cancellationToken)
    {
        var user = new RetailUser { UserName = email, Email = email, DisplayName = displayName, CreatedAt = time.GetUtcNow() };
        return await CreateAsync(user, password, role);
    }

    private async Task<Result<string>> CreateAsync(RetailUser user, string? password, string role)
    {
        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            if (created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.DuplicateEmail)))
            {
                return Error.Conflict("identity.email_taken", "An account with this email already exists.");
            }

            return Error.Validation(created.Errors
                .GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? "Password" : "Email")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        }

        await users.AddToRoleAsync(user, role);
        logger.LogInformation("User {UserId} created with role {Role}", user.Id, role);
        return user.Id;
    }

    public async Task<Result<string>> CreateInvitedUserAsync(string email, string displayName, string role, CancellationToken cancellationToken)
    {
        // No password: the member chooses one with the code the invitation carries. Until then no password signs in.
        var user = new RetailUser { UserName = email, Email = email, DisplayName = displayName, CreatedAt = time.GetUtcNow() };
        return await CreateAsync(user, password: null, role);
    }

    public async Task<bool> SendStaffInvitationAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId);
        if (user?.Email is null)
        {
            return false;
        }

        // The reset code of "Forgot your password?": the reset page sets the first password with it, and confirms the address.
        var code = AccountCodes.Encode(await users.GeneratePasswordResetTokenAsync(user));
        if (!await TrySendAsync(user, "staff invitation", () => mail.SendAsync(
                IdentityEmailSender.StaffInvitation(user.DisplayName, user.Email, links.ResetPassword(user.Email, code)), cancellationToken)))
        {
            return false;
        }

        LogInvitationSent(logger, user.Id);
        return true;
    }

    public async Task<UserAccessDto?> FindUserAccessAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId);
        return user is null
            ? null
            : new UserAccessDto(user.Id, user.Email ?? "", [.. await users.GetRolesAsync(user)], user.LockoutEnd > time.GetUtcNow());
    }

    public async Task<int> CountUsersInRoleAsync(string role, CancellationToken cancellationToken) =>
        (await users.GetUsersInRoleAsync(role)).Count;

    public async Task ChangeRoleAsync(string userId, string role, bool grant, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException($"User {userId} disappeared during a role change.");
        Check(grant ? await users.AddToRoleAsync(user, role) : await users.RemoveFromRoleAsync(user, role));
        // Identity keeps the stamp on a role change, so a cookie or token holding the old roles would go on working (a token
        // until it expires). A new stamp ends them within the interval, as a password change does (ADR 0012).
        Check(await users.UpdateSecurityStampAsync(user));
    }

    public async Task SetLockedAsync(string userId, bool locked, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException($"User {userId} disappeared during a lock change.");
        if (locked)
        {
            // Until an admin unlocks it (the end a failed-sign-in lockout never has); the new stamp ends the open sessions.
            Check(await users.SetLockoutEnabledAsync(user, true));
            Check(await users.SetLockoutEndDateAsync(user, AdminLockEnd));
            Check(await users.UpdateSecurityStampAsync(user));
        }
        else
        {
            Check(await users.SetLockoutEndDateAsync(user, null));
            Check(await users.ResetAccessFailedCountAsync(user));
        }
    }

    /// <summary>A user update the rules above already allowed cannot fail for a reason the admin could fix: a broken invariant.</summary>
    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Identity refused an account change: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    /// <summary>The stand-in for an email no account has (made once per process: hashing it is the cost being matched).</summary>
    private static readonly RetailUser UnknownUser = new();

    private static string? _unknownUserHash;

    public async Task<Result<SignInOutcome>> PasswordSignInAsync(string email, string password, bool rememberMe, CancellationToken cancellationToken)
    {
        // The email is the user name (as SignInManager's own overload looks it up); the user is needed for the lockout's end.
        var user = await users.FindByNameAsync(email);
        if (user is null)
        {
            // A wrong password costs a hash verification; without one here, the faster answer would tell that no account
            // has this email. So the password is verified against a stand-in hash made by the same hasher.
            _unknownUserHash ??= users.PasswordHasher.HashPassword(UnknownUser, Guid.NewGuid().ToString("N"));
            users.PasswordHasher.VerifyHashedPassword(UnknownUser, _unknownUserHash, password);
            logger.LogInformation("Sign-in failed: invalid credentials");
            return InvalidCredentials;
        }

        var result = await signIn.PasswordSignInAsync(user, password, rememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return SignInOutcome.SignedIn;
        }

        if (result.RequiresTwoFactor)
        {
            // SignInManager has set its short-lived two-factor cookie (whose password was right); the code finishes the sign-in.
            LogTwoFactorRequired(logger, user.Id);
            return SignInOutcome.RequiresTwoFactor;
        }

        if (result.IsLockedOut)
        {
            logger.LogWarning("Sign-in refused: account locked out");
            return LockedOut(user.LockoutEnd is { } end ? end - time.GetUtcNow() : Domain.AccountPolicy.LockoutDuration);
        }

        logger.LogInformation("Sign-in failed: invalid credentials");
        return InvalidCredentials;
    }

    public async Task<Result> TwoFactorSignInAsync(string code, bool rememberMe, CancellationToken cancellationToken)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user)
        {
            LogTwoFactorExpired(logger);
            return TwoFactorSignInExpired;
        }

        // SignInManager counts a wrong code towards lockout, as it does a wrong password. No "remember this browser".
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, rememberMe, rememberClient: false);
        return TwoFactorOutcome(result, user, WrongTwoFactorCode, "authenticator code");
    }

    public async Task<Result> RecoveryCodeSignInAsync(string recoveryCode, CancellationToken cancellationToken)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user)
        {
            LogTwoFactorExpired(logger);
            return TwoFactorSignInExpired;
        }

        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        return TwoFactorOutcome(result, user, WrongRecoveryCode, "recovery code");
    }

    private Result TwoFactorOutcome(Microsoft.AspNetCore.Identity.SignInResult result, RetailUser user, Error wrongCode, string method)
    {
        if (result.Succeeded)
        {
            LogTwoFactorSignedIn(logger, user.Id, method);
            return Result.Success();
        }

        if (result.IsLockedOut)
        {
            logger.LogWarning("Sign-in refused: account locked out");
            // The user is the one SignInManager just updated (the context tracks one instance), so its lockout end is current.
            return LockedOut(user.LockoutEnd is { } end ? end - time.GetUtcNow() : Domain.AccountPolicy.LockoutDuration);
        }

        LogTwoFactorCodeWrong(logger, user.Id, method);
        return wrongCode;
    }

    public Task SignOutAsync() => signIn.SignOutAsync();

    public async Task SendEmailConfirmationAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId);
        if (user?.Email is null)
        {
            return;
        }

        try
        {
            await SendConfirmationAsync(user);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogConfirmationNotSent(logger, ex, user.Id);
        }
    }

    public async Task<Result> RequestPasswordResetAsync(string email, CancellationToken cancellationToken)
    {
        if (await LimitAccountEmailsAsync(email, cancellationToken) is { } refused)
        {
            LogResetRateLimited(logger);
            return refused;
        }

        var user = await users.FindByEmailAsync(email);
        if (user?.Email is null)
        {
            LogResetForUnknownEmail(logger);
            return Result.Success();
        }

        if (!await users.IsEmailConfirmedAsync(user))
        {
            // Codes go to confirmed addresses only (as Identity's own endpoint does); an account that never confirmed gets
            // the confirmation link again, after which it can ask for the reset.
            if (await TrySendAsync(user, "confirmation", () => SendConfirmationAsync(user)))
            {
                LogResetAskedUnconfirmed(logger, user.Id);
            }

            return Result.Success();
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        if (await TrySendAsync(user, "password reset", () => accountEmails.SendPasswordResetCodeAsync(user, user.Email, AccountCodes.Encode(token))))
        {
            LogResetCodeSent(logger, user.Id);
        }

        return Result.Success();
    }

    /// <summary>
    /// Sends an account email asked for by address; false (and the failure logged) when it could not be sent. The caller
    /// still gives the answer an unknown address gets: an error page would tell that the address has an account. The
    /// customer can ask again once mail flows; the operator sees the failure in the log.
    /// </summary>
    private async Task<bool> TrySendAsync(RetailUser user, string kind, Func<Task> send)
    {
        try
        {
            await send();
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAccountEmailNotSent(logger, ex, kind, user.Id);
            return false;
        }
    }

    public async Task<Result> ResendEmailConfirmationAsync(string email, CancellationToken cancellationToken)
    {
        if (await LimitAccountEmailsAsync(email, cancellationToken) is { } refused)
        {
            LogResendRateLimited(logger);
            return refused;
        }

        var user = await users.FindByEmailAsync(email);
        if (user?.Email is null || await users.IsEmailConfirmedAsync(user))
        {
            // A confirmed address has nothing to confirm; the caller gets the same answer as for an unknown one.
            LogResendNotNeeded(logger);
            return Result.Success();
        }

        if (await TrySendAsync(user, "confirmation", () => SendConfirmationAsync(user)))
        {
            LogConfirmationResent(logger, user.Id);
        }

        return Result.Success();
    }

    /// <summary>
    /// The refusal when this address was asked for too many account emails (reset or confirmation, one count), else null.
    /// Keyed on the address as typed (normalised), whether or not an account has it: the refusal tells nothing.
    /// </summary>
    private async Task<Error?> LimitAccountEmailsAsync(string email, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var decision = await limiter.TryAcquireAsync(
            "identity:account-email:" + email.ToUpperInvariant(), settings.PasswordResetEmailLimit, settings.PasswordResetEmailWindow, cancellationToken);
        return decision.Allowed ? null : new Error("rate_limited", UserMessages.RateLimited, ErrorKind.RateLimited) { RetryAfter = decision.RetryAfter };
    }

    public async Task<Result> ResetPasswordAsync(string email, string code, string newPassword, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email);
        var token = AccountCodes.Decode(code);
        if (user is null || token is null)
        {
            LogResetRefused(logger, user is null ? "unknown email" : "malformed code");
            return InvalidResetCode;
        }

        var reset = await users.ResetPasswordAsync(user, token, newPassword);
        if (!reset.Succeeded)
        {
            if (reset.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)))
            {
                LogResetRefused(logger, "invalid or expired code");
                return InvalidResetCode;
            }

            return Error.Validation(new Dictionary<string, string[]> { ["NewPassword"] = [.. reset.Errors.Select(e => e.Description)] });
        }

        // Whoever holds the mailbox may sign in again at once: the lockout that likely led here ends with the reset. Not an
        // admin's lock, though: that one ends only when an admin unlocks the account.
        await users.ResetAccessFailedCountAsync(user);
        if (!IsLockedByAdmin(user))
        {
            await users.SetLockoutEndDateAsync(user, null);
        }

        if (!user.EmailConfirmed)
        {
            // Only a staff invitation sends a code to an unconfirmed address (a reset goes to confirmed ones only): the code
            // came through the mailbox, which is what confirming the address proves.
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
            LogEmailConfirmed(logger, user.Id);
        }

        LogPasswordReset(logger, user.Id);
        return Result.Success();
    }

    public async Task<Result> ConfirmEmailAsync(string userId, string code, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId);
        var token = AccountCodes.Decode(code);
        if (user is null || token is null)
        {
            return InvalidConfirmationLink;
        }

        var confirmed = await users.ConfirmEmailAsync(user, token);
        if (!confirmed.Succeeded)
        {
            return InvalidConfirmationLink;
        }

        LogEmailConfirmed(logger, user.Id);
        return Result.Success();
    }

    public async Task<Result> ConfirmEmailChangeAsync(string userId, string code, string newEmail, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId);
        var token = AccountCodes.Decode(code);
        if (user is null || token is null)
        {
            return InvalidConfirmationLink;
        }

        // Checks the code against the address it was issued for, sets the email as confirmed and replaces the security stamp
        // (the account's other sessions end, as after a password change). The email is the user name, so that follows, as
        // Identity's own confirmEmail endpoint does.
        var changed = await users.ChangeEmailAsync(user, newEmail, token);
        if (changed.Succeeded)
        {
            changed = await users.SetUserNameAsync(user, newEmail);
        }

        if (!changed.Succeeded)
        {
            if (changed.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.DuplicateEmail)))
            {
                LogEmailChangeRefused(logger, user.Id, "address taken");
                return EmailChangeTaken;
            }

            LogEmailChangeRefused(logger, user.Id, "invalid or expired code");
            return InvalidConfirmationLink;
        }

        LogEmailChanged(logger, user.Id);
        return Result.Success();
    }

    private async Task SendConfirmationAsync(RetailUser user)
    {
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        await accountEmails.SendConfirmationLinkAsync(user, user.Email!, links.ConfirmEmail(user.Id, AccountCodes.Encode(token)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Password of user {UserId} right; two-factor code asked for")]
    private static partial void LogTwoFactorRequired(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Two-factor sign-in refused: no password step pending in this browser")]
    private static partial void LogTwoFactorExpired(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed in with a {Method}")]
    private static partial void LogTwoFactorSignedIn(ILogger logger, string userId, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Two-factor sign-in of user {UserId} failed: wrong {Method}")]
    private static partial void LogTwoFactorCodeWrong(ILogger logger, string userId, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Confirmation email for user {UserId} could not be sent; the account was created")]
    private static partial void LogConfirmationNotSent(ILogger logger, Exception exception, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} email asked for user {UserId} could not be sent; the request got the usual answer")]
    private static partial void LogAccountEmailNotSent(ILogger logger, Exception exception, string kind, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Password reset refused: too many requests for one address")]
    private static partial void LogResetRateLimited(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Confirmation email resend refused: too many requests for one address")]
    private static partial void LogResendRateLimited(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Confirmation email resend asked for an email no unconfirmed account has; nothing sent")]
    private static partial void LogResendNotNeeded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Confirmation email sent again to user {UserId}")]
    private static partial void LogConfirmationResent(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset asked for an email no account has; nothing sent")]
    private static partial void LogResetForUnknownEmail(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset asked for user {UserId}, whose email is not confirmed; confirmation link sent")]
    private static partial void LogResetAskedUnconfirmed(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset code sent to user {UserId}")]
    private static partial void LogResetCodeSent(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Password reset refused: {Reason}")]
    private static partial void LogResetRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password of user {UserId} reset with an emailed code")]
    private static partial void LogPasswordReset(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email of user {UserId} changed with the emailed link")]
    private static partial void LogEmailChanged(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email change of user {UserId} refused: {Reason}")]
    private static partial void LogEmailChangeRefused(ILogger logger, string userId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Staff invitation sent to user {UserId}")]
    private static partial void LogInvitationSent(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email of user {UserId} confirmed")]
    private static partial void LogEmailConfirmed(ILogger logger, string userId);

    public async Task<PagedResult<UserSummaryDto>> ListUsersAsync(string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = users.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var exact = search.Trim();
            var term = exact.ToUpperInvariant();
            // SQLite's upper() changes ASCII letters only, so "Jörg" upper-cased in .NET never matched "JöRG": the name
            // as typed is compared too.
            query = query.Where(u => u.NormalizedEmail!.Contains(term) || u.DisplayName.ToUpper().Contains(term) || u.DisplayName.Contains(exact));
        }

        var total = await query.CountAsync(cancellationToken);
        var listed = await query.OrderBy(u => u.Email).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        // The page's roles in one query (GetRolesAsync per user was one query per listed user).
        var ids = listed.Select(u => u.Id).ToList();
        var roleRows = await (
                from userRole in db.Set<IdentityUserRole<string>>().AsNoTracking()
                join role in db.Set<IdentityRole>().AsNoTracking() on userRole.RoleId equals role.Id
                where ids.Contains(userRole.UserId)
                select new { userRole.UserId, role.Name })
            .ToListAsync(cancellationToken);
        var rolesByUser = roleRows.ToLookup(r => r.UserId, r => r.Name ?? "");
        var now = time.GetUtcNow();
        var items = new List<UserSummaryDto>(listed.Count);
        foreach (var user in listed)
        {
            items.Add(new UserSummaryDto(user.Id, user.Email ?? "", user.DisplayName, [.. rolesByUser[user.Id].Order(StringComparer.Ordinal)], user.LockoutEnd > now, user.CreatedAt));
        }

        return new PagedResult<UserSummaryDto>(items, page, pageSize, total);
    }
}
