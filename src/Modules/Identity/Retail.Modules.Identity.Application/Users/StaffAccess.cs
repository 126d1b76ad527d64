using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Identity.Application.Abstractions;

namespace Retail.Modules.Identity.Application.Users;

/// <summary>
/// Who may give which role to whom on the users page. Staff roles only: customers register themselves and partner users are
/// made on their partner's page (each is tied to a partner). Admin and super-admin are a super-admin's to give and take,
/// and so are the accounts that hold them; nobody changes their own account (no self-promotion, no locking oneself out).
/// </summary>
public static class StaffAccess
{
    /// <summary>The roles the users page grants, removes and invites with.</summary>
    public static readonly IReadOnlyList<string> StaffRoles =
        [Roles.Support, Roles.Warehouse, Roles.Finance, Roles.CatalogAdmin, Roles.Admin, Roles.SuperAdmin];

    public const string RoleExplanation = "Choose one of the staff roles: support, warehouse, finance, catalog-admin, admin, super-admin.";

    public static bool IsSuperAdminOnly(string role) => role is Roles.Admin or Roles.SuperAdmin;

    /// <summary>The roles this user may give: all staff roles for a super-admin, the others for an admin.</summary>
    public static IReadOnlyList<string> GrantableBy(bool isSuperAdmin) =>
        isSuperAdmin ? StaffRoles : [.. StaffRoles.Where(r => !IsSuperAdminOnly(r))];

    public static readonly Error SuperAdminOnlyRole = new("identity.super_admin_only",
        "Only a super-admin can grant or remove the admin and super-admin roles.", ErrorKind.Forbidden);

    public static readonly Error SuperAdminOnlyAccount = new("identity.super_admin_only",
        "Only a super-admin can change an admin's or a super-admin's account.", ErrorKind.Forbidden);

    public static readonly Error OwnAccount = new("identity.own_account",
        "You cannot change your own account here: ask another admin.", ErrorKind.Forbidden);

    public static readonly Error LastSuperAdmin = Error.Conflict("identity.last_super_admin",
        "This is the shop's last super-admin, so it keeps the role: make another account super-admin first.");

    public static readonly Error NotStaffAccount = Error.Conflict("identity.not_staff_account",
        "This is a customer or partner account, and staff roles are for staff accounts: invite the person as staff with another email.");

    public static readonly Error UserNotFound = Error.NotFound("identity.user_not_found", "There is no such user: reload the list.");

    /// <summary>
    /// Why the signed-in user may not change this account at all (before any role is looked at), or null. The actor's own
    /// roles are the session's, at most one security-stamp interval old (ADR 0012).
    /// </summary>
    public static Error? RefuseAccount(string actorId, bool actorIsSuperAdmin, UserAccessDto target)
    {
        if (string.Equals(actorId, target.Id, StringComparison.Ordinal))
        {
            return OwnAccount;
        }

        return !actorIsSuperAdmin && target.Roles.Any(IsSuperAdminOnly) ? SuperAdminOnlyAccount : null;
    }
}
