using FluentValidation;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Identity.Application.Abstractions;

namespace Retail.Modules.Identity.Application.Users;

public enum RoleChange
{
    Grant,
    Remove,
}

/// <summary>
/// Grants or removes one staff role (<see cref="StaffAccess"/> says who may). The account's security stamp is replaced with
/// the change, so its cookies and tokens, which carry the old roles, end within the interval a password change ends them in
/// (ADR 0012): a removed role does not linger, a granted one comes with the next sign-in.
/// </summary>
[AuthorizeRoles(Roles.Admin)]
public sealed record ChangeUserRoleCommand(string UserId, string Role, RoleChange Change) : ICommand;

public sealed class ChangeUserRoleCommandValidator : AbstractValidator<ChangeUserRoleCommand>
{
    public ChangeUserRoleCommandValidator()
    {
        RuleFor(c => c.UserId).NotEmpty().MaximumLength(450);
        RuleFor(c => c.Role).Must(r => StaffAccess.StaffRoles.Contains(r)).WithMessage(StaffAccess.RoleExplanation);
        RuleFor(c => c.Change).IsInEnum();
    }
}

public sealed partial class ChangeUserRoleCommandHandler(IIdentityService identity, ICurrentUser currentUser, ILogger<ChangeUserRoleCommandHandler> logger)
    : ICommandHandler<ChangeUserRoleCommand>
{
    public async ValueTask<Result> Handle(ChangeUserRoleCommand command, CancellationToken cancellationToken)
    {
        var actor = currentUser.UserId ?? "";
        var refused = await RefuseAsync(actor, command, cancellationToken);
        if (refused is not null)
        {
            LogRoleChangeRefused(logger, actor, command.UserId, command.Change, command.Role, refused.Code);
            return refused;
        }

        await identity.ChangeRoleAsync(command.UserId, command.Role, command.Change == RoleChange.Grant, cancellationToken);
        if (command.Change == RoleChange.Grant)
        {
            LogRoleGranted(logger, actor, command.Role, command.UserId);
        }
        else
        {
            LogRoleRemoved(logger, actor, command.Role, command.UserId);
        }

        return Result.Success();
    }

    private async Task<Error?> RefuseAsync(string actor, ChangeUserRoleCommand command, CancellationToken cancellationToken)
    {
        if (await identity.FindUserAccessAsync(command.UserId, cancellationToken) is not { } target)
        {
            return StaffAccess.UserNotFound;
        }

        var actorIsSuperAdmin = currentUser.IsInRole(Roles.SuperAdmin);
        if (StaffAccess.RefuseAccount(actor, actorIsSuperAdmin, target) is { } refused)
        {
            return refused;
        }

        if (StaffAccess.IsSuperAdminOnly(command.Role) && !actorIsSuperAdmin)
        {
            return StaffAccess.SuperAdminOnlyRole;
        }

        if (target.Roles.Any(r => r is Roles.Customer or Roles.Partner))
        {
            return StaffAccess.NotStaffAccount;
        }

        var has = target.Roles.Contains(command.Role);
        if (command.Change == RoleChange.Grant && has)
        {
            return Error.Conflict("identity.role_unchanged", $"{target.Email} already has the {command.Role} role.");
        }

        if (command.Change == RoleChange.Remove && !has)
        {
            return Error.Conflict("identity.role_unchanged", $"{target.Email} does not have the {command.Role} role.");
        }

        // Counted in the database, not read from anyone's session: a super-admin who just lost the role still has it in a
        // cookie for up to a minute, and must not take it from the one left.
        if (command.Change == RoleChange.Remove && command.Role == Roles.SuperAdmin
            && await identity.CountUsersInRoleAsync(Roles.SuperAdmin, cancellationToken) <= 1)
        {
            return StaffAccess.LastSuperAdmin;
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {ActorId} granted role {Role} to user {UserId}")]
    private static partial void LogRoleGranted(ILogger logger, string actorId, string role, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {ActorId} removed role {Role} from user {UserId}")]
    private static partial void LogRoleRemoved(ILogger logger, string actorId, string role, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin {ActorId} was refused to {Change} role {Role} for user {UserId}: {Reason}")]
    private static partial void LogRoleChangeRefused(ILogger logger, string actorId, string userId, RoleChange change, string role, string reason);
}

/// <summary>
/// Locks an account (until an admin unlocks it) or unlocks one, whether an admin or too many failed sign-ins locked it.
/// Locking replaces the security stamp, so the account's open sessions end within the interval (ADR 0012).
/// </summary>
[AuthorizeRoles(Roles.Admin)]
public sealed record SetUserLockCommand(string UserId, bool Locked) : ICommand;

public sealed class SetUserLockCommandValidator : AbstractValidator<SetUserLockCommand>
{
    public SetUserLockCommandValidator() => RuleFor(c => c.UserId).NotEmpty().MaximumLength(450);
}

public sealed partial class SetUserLockCommandHandler(IIdentityService identity, ICurrentUser currentUser, ILogger<SetUserLockCommandHandler> logger)
    : ICommandHandler<SetUserLockCommand>
{
    public async ValueTask<Result> Handle(SetUserLockCommand command, CancellationToken cancellationToken)
    {
        var actor = currentUser.UserId ?? "";
        var target = await identity.FindUserAccessAsync(command.UserId, cancellationToken);
        var refused = target is null ? StaffAccess.UserNotFound : StaffAccess.RefuseAccount(actor, currentUser.IsInRole(Roles.SuperAdmin), target);
        if (refused is null && target!.IsLockedOut == command.Locked)
        {
            refused = Error.Conflict("identity.lock_unchanged", command.Locked ? $"{target.Email} is already locked." : $"{target.Email} is not locked.");
        }

        if (refused is not null)
        {
            LogLockRefused(logger, actor, command.UserId, refused.Code);
            return refused;
        }

        await identity.SetLockedAsync(command.UserId, command.Locked, cancellationToken);
        LogLockChanged(logger, actor, command.Locked ? "locked" : "unlocked", command.UserId);
        return Result.Success();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {ActorId} {Change} user {UserId}")]
    private static partial void LogLockChanged(ILogger logger, string actorId, string change, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin {ActorId} was refused to lock or unlock user {UserId}: {Reason}")]
    private static partial void LogLockRefused(ILogger logger, string actorId, string userId, string reason);
}
