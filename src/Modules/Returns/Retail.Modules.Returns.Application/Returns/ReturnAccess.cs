using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.Application.Returns;

/// <summary>Who may see and move which return, and the errors every handler answers with.</summary>
public static class ReturnErrors
{
    public static Error NotFound() => Error.NotFound("returns.not_found", "No such return.");

    public static Error OrderNotFound() => Error.NotFound("returns.order_not_found", "No such delivered order.");

    public static Error Stale() => Error.Conflict("returns.concurrency", "This return was changed by someone else meanwhile. Please reload it and try again.");

    public static Error Refused(TransitionCheck check) => check.Refusal switch
    {
        TransitionRefusal.WrongRole => Error.Forbidden() with { Code = "returns.wrong_role", Message = check.Message },
        TransitionRefusal.MissingInput => Error.Validation(new Dictionary<string, string[]> { ["input"] = [check.Message] }) with { Message = check.Message },
        TransitionRefusal.UnknownAction => Error.NotFound("returns.unknown_action", check.Message),
        _ => Error.Conflict("returns.illegal_transition", check.Message),
    };

    /// <summary>Staff who are the customer of a return act on it only as its customer: nobody approves or pays out their own.</summary>
    public static Error OwnReturn() => Error.Forbidden() with
    {
        Code = "returns.own_return",
        Message = "This is your own return: you can act on it only as its customer. A colleague has to do this step.",
    };

    public static Error Invalid(string field, string message) =>
        Error.Validation(new Dictionary<string, string[]> { [field] = [message] }) with { Message = message };
}

/// <summary>The viewer of a return: the owning customer, or staff of one of the three teams.</summary>
public sealed class ReturnViewer(ICurrentUser user)
{
    private static readonly string[] StaffRoles = [Roles.Support, Roles.Warehouse, Roles.Finance];

    public string UserId => user.UserId ?? "";

    /// <summary>Team staff, or an admin (who may look at every return but acts only through a team role).</summary>
    public bool IsStaff => StaffRoles.Any(user.IsInRole) || IsAdmin;

    public IReadOnlyList<string> TeamRoles => [.. StaffRoles.Where(user.IsInRole)];

    public bool IsAdmin => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.SuperAdmin);

    /// <summary>Owner or staff; anybody else gets 404 (not 403), so codes of other customers' returns leak nothing.</summary>
    public bool CanSee(Return entity) => entity.CustomerId == UserId || IsStaff;

    /// <summary>The role the viewer acts in for <paramref name="transition"/>: customer only on their own return.</summary>
    public string? RoleFor(Return entity, ReturnTransition? transition)
    {
        var roles = RolesOn(entity);
        return transition is null ? roles.FirstOrDefault() : roles.FirstOrDefault(transition.AllowsRole) ?? roles.FirstOrDefault();
    }

    /// <summary>
    /// The roles the viewer may act in on <paramref name="entity"/>. On their own return staff are only its customer
    /// (segregation of duties): otherwise an agent could approve, and a finance clerk decide and pay out, their own refund.
    /// </summary>
    public IReadOnlyList<string> RolesOn(Return entity) => IsOwner(entity) ? [ReturnRoles.Customer] : TeamRoles;

    public bool IsOwner(Return entity) => entity.CustomerId == UserId;

    /// <summary>Whether the viewer acts for <paramref name="team"/> on a return of <paramref name="customerId"/>.</summary>
    public bool ActsFor(string team, string customerId) => customerId != UserId && TeamRoles.Contains(team, StringComparer.Ordinal);

    /// <summary>The audit's "who": the sign-in name (email) people recognise, or the user id when there is none.</summary>
    public ReturnActor Actor(string role) => new(string.IsNullOrEmpty(user.UserName) ? UserId : user.UserName, role, Activity.Current?.TraceId.ToString());
}

internal static class ReturnQueries
{
    public static Task<Return?> LoadAsync(this IReturnsDbContext db, string code, CancellationToken cancellationToken)
    {
        var normalized = ReturnCodes.Normalize(code);
        return db.Returns
            .Include(r => r.Lines)
            .Include(r => r.Outcomes)
            .Include(r => r.Audit)
            
            .SingleOrDefaultAsync(r => r.Code == normalized, cancellationToken);
    }

    public static bool IsOverdue(DateTimeOffset stageEnteredAt, ReturnStatus status, DateTimeOffset now, TimeSpan sla) =>
        !ReturnWorkflow.IsFinal(status) && now - stageEnteredAt > sla;
}
