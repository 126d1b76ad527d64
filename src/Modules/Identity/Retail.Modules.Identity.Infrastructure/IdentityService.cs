using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Identity.Application.Abstractions;
using Retail.Modules.Identity.Infrastructure.Persistence;

namespace Retail.Modules.Identity.Infrastructure;

internal sealed class IdentityService(
    UserManager<RetailUser> users,
    SignInManager<RetailUser> signIn,
    TimeProvider time,
    ILogger<IdentityService> logger) : IIdentityService
{
    public static readonly Error InvalidCredentials = new("identity.invalid_credentials", "Email or password is not correct.", ErrorKind.Unauthorized);
    public static readonly Error LockedOut = new("identity.locked_out", "This account is locked after too many failed sign-ins. Try again in 15 minutes.", ErrorKind.Forbidden);

    public Task<Result<string>> CreateCustomerAsync(string email, string password, string displayName, CancellationToken cancellationToken) =>
        CreateUserInRoleAsync(email, password, displayName, Roles.Customer, cancellationToken);

    public async Task<Result<string>> CreateUserInRoleAsync(string email, string password, string displayName, string role, CancellationToken cancellationToken)
    {
        var user = new RetailUser { UserName = email, Email = email, DisplayName = displayName, CreatedAt = time.GetUtcNow() };
        var created = await users.CreateAsync(user, password);
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

    public async Task<Result> PasswordSignInAsync(string email, string password, bool rememberMe, CancellationToken cancellationToken)
    {
        var result = await signIn.PasswordSignInAsync(email, password, rememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return Result.Success();
        }

        if (result.IsLockedOut)
        {
            logger.LogWarning("Sign-in refused: account locked out");
            return LockedOut;
        }

        logger.LogInformation("Sign-in failed: invalid credentials");
        return InvalidCredentials;
    }

    public Task SignOutAsync() => signIn.SignOutAsync();

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
        var page1 = await query.OrderBy(u => u.Email).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var items = new List<UserSummaryDto>(page1.Count);
        foreach (var user in page1)
        {
            var roles = await users.GetRolesAsync(user);
            items.Add(new UserSummaryDto(user.Id, user.Email ?? "", user.DisplayName, [.. roles.Order(StringComparer.Ordinal)], user.LockoutEnd > now, user.CreatedAt));
        }

        return new PagedResult<UserSummaryDto>(items, page, pageSize, total);
    }
}
