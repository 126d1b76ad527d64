using Retail.BuildingBlocks.Application.Abstractions;

namespace Retail.Modules.Catalog.UnitTests.BuildingBlocks;

/// <summary>A signed-in user with fixed roles, or nobody.</summary>
internal sealed class FakeCurrentUser : ICurrentUser
{
    private readonly HashSet<string> _roles;

    private FakeCurrentUser(bool isAuthenticated, string? userName, IEnumerable<string> roles)
    {
        IsAuthenticated = isAuthenticated;
        UserName = userName;
        UserId = isAuthenticated ? $"id-{userName}" : null;
        _roles = new HashSet<string>(roles, StringComparer.Ordinal);
    }

    public static FakeCurrentUser Anonymous { get; } = new(false, null, []);

    public bool IsAuthenticated { get; }

    public string? UserId { get; }

    public string? UserName { get; }

    public List<string> RolesAskedFor { get; } = [];

    public static FakeCurrentUser InRoles(params string[] roles) => new(true, "user@shop.test", roles);

    public bool IsInRole(string role)
    {
        RolesAskedFor.Add(role);
        return IsAuthenticated && _roles.Contains(role);
    }
}
