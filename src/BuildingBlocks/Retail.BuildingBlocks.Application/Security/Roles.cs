namespace Retail.BuildingBlocks.Application.Security;

/// <summary>The roles of the shop (SPEC.md). Policy names equal role names.</summary>
public static class Roles
{
    public const string Customer = "customer";
    public const string Support = "support";
    public const string Warehouse = "warehouse";
    public const string Finance = "finance";
    public const string CatalogAdmin = "catalog-admin";
    public const string Admin = "admin";
    public const string SuperAdmin = "super-admin";
    public const string Partner = "partner";

    public static readonly IReadOnlyList<string> All = [Customer, Support, Warehouse, Finance, CatalogAdmin, Admin, SuperAdmin, Partner];

    /// <summary>Staff roles get a demo user each in the demo seed.</summary>
    public static readonly IReadOnlyList<string> Staff = [Support, Warehouse, Finance, CatalogAdmin, Admin];
}

/// <summary>
/// Declares who may send a request; checked by the authorization behavior before validation runs.
/// Any one of the roles suffices; admins and super-admins pass every role check.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class AuthorizeRolesAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>Declares that a request needs a signed-in user but no particular role.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class AuthenticatedAttribute : Attribute;
