using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.Modules.Identity.Infrastructure.Persistence;

namespace Retail.Modules.Identity.Infrastructure.Lockout;

/// <summary>
/// Identity's user manager with the lockout on the app's <see cref="TimeProvider"/>. UserManager (up to .NET 10) reads
/// <see cref="DateTimeOffset.UtcNow"/> when it locks an account and when it checks whether the lock still holds, while
/// everything else here (the "try again in N minutes" message, the admin users page) reads the app's clock: on any
/// clock but the system one the two disagreed, and no test could show a lockout ending. Only those two members change.
/// </summary>
internal sealed class ClockedUserManager(
    IUserStore<RetailUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<RetailUser> passwordHasher,
    IEnumerable<IUserValidator<RetailUser>> userValidators,
    IEnumerable<IPasswordValidator<RetailUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<RetailUser>> logger,
    TimeProvider time)
    : UserManager<RetailUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    /// <summary>As Identity's: locked while the lockout end is now or later, and only when lockout is enabled for the account.</summary>
    public override async Task<bool> IsLockedOutAsync(RetailUser user)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(user);
        var lockout = LockoutStore;
        if (!await lockout.GetLockoutEnabledAsync(user, CancellationToken))
        {
            return false;
        }

        return await lockout.GetLockoutEndDateAsync(user, CancellationToken) >= time.GetUtcNow();
    }

    /// <summary>As Identity's: one more failure; at the limit the account is locked for the lockout time and the count starts over.</summary>
    public override async Task<IdentityResult> AccessFailedAsync(RetailUser user)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(user);
        var lockout = LockoutStore;
        var failures = await lockout.IncrementAccessFailedCountAsync(user, CancellationToken);
        if (failures >= Options.Lockout.MaxFailedAccessAttempts)
        {
            await lockout.SetLockoutEndDateAsync(user, time.GetUtcNow() + Options.Lockout.DefaultLockoutTimeSpan, CancellationToken);
            await lockout.ResetAccessFailedCountAsync(user, CancellationToken);
        }

        return await UpdateUserAsync(user);
    }

    private IUserLockoutStore<RetailUser> LockoutStore =>
        Store as IUserLockoutStore<RetailUser> ?? throw new NotSupportedException("The user store does not support lockout.");
}
