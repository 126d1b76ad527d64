using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;

namespace Retail.Modules.Identity.Application.Abstractions;

public sealed record UserSummaryDto(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool IsLockedOut, DateTimeOffset CreatedAt);

/// <summary>What the Identity use cases need from ASP.NET Core Identity, kept behind an interface in Infrastructure.</summary>
public interface IIdentityService
{
    Task<Result<string>> CreateCustomerAsync(string email, string password, string displayName, CancellationToken cancellationToken);

    /// <summary>Creates an account with the given role (e.g. a partner's staff); returns the new user id.</summary>
    Task<Result<string>> CreateUserInRoleAsync(string email, string password, string displayName, string role, CancellationToken cancellationToken);

    /// <summary>Checks the password, counts failures towards lockout, and on success issues the auth cookie.</summary>
    Task<Result> PasswordSignInAsync(string email, string password, bool rememberMe, CancellationToken cancellationToken);

    Task SignOutAsync();

    Task<PagedResult<UserSummaryDto>> ListUsersAsync(string? search, int page, int pageSize, CancellationToken cancellationToken);
}

/// <summary>The Identity module's context as its handlers see it (only the outbox: users go through <see cref="IIdentityService"/>).</summary>
public interface IIdentityDbContext : IModuleDbContext;
