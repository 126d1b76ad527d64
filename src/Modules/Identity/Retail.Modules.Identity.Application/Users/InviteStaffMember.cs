using FluentValidation;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Identity.Application.Abstractions;
using Retail.Modules.Identity.Domain;

namespace Retail.Modules.Identity.Application.Users;

/// <summary>
/// An admin creates a staff member's account in one staff role, with no password anybody knows; returns the new user id.
/// The page then sends <see cref="SendStaffInvitationCommand"/>, after this command's transaction committed (as
/// registration sends its confirmation), and the emailed link lets the member choose the password.
/// </summary>
[AuthorizeRoles(Roles.Admin)]
public sealed record InviteStaffMemberCommand(string Email, string DisplayName, string Role) : ICommand<string>;

public sealed class InviteStaffMemberCommandValidator : AbstractValidator<InviteStaffMemberCommand>
{
    public InviteStaffMemberCommandValidator()
    {
        RuleFor(c => c.Email).NotEmpty().WithMessage("Enter the staff member's email.").EmailAddress().MaximumLength(256)
            .Must(e => !new EmailMustUseAcceptedCharactersRule(e).IsBroken()).WithMessage(EmailMustUseAcceptedCharactersRule.Explanation);
        RuleFor(c => c.DisplayName).Must(n => !new DisplayNameMustBePrintableRule(n).IsBroken())
            .WithMessage($"Enter a name of 1–{AccountPolicy.MaxDisplayNameLength} printable characters.");
        RuleFor(c => c.Role).Must(r => StaffAccess.StaffRoles.Contains(r)).WithMessage(StaffAccess.RoleExplanation);
    }
}

public sealed partial class InviteStaffMemberCommandHandler(IIdentityService identity, ICurrentUser currentUser, ILogger<InviteStaffMemberCommandHandler> logger)
    : ICommandHandler<InviteStaffMemberCommand, string>
{
    public async ValueTask<Result<string>> Handle(InviteStaffMemberCommand command, CancellationToken cancellationToken)
    {
        var actor = currentUser.UserId ?? "";
        if (StaffAccess.IsSuperAdminOnly(command.Role) && !currentUser.IsInRole(Roles.SuperAdmin))
        {
            LogInvitationRefused(logger, actor, command.Role, StaffAccess.SuperAdminOnlyRole.Code);
            return StaffAccess.SuperAdminOnlyRole;
        }

        var created = await identity.CreateInvitedUserAsync(command.Email.Trim(), command.DisplayName.Trim(), command.Role, cancellationToken);
        if (!created.IsSuccess)
        {
            LogInvitationRefused(logger, actor, command.Role, created.Error.Code);
            return created;
        }

        LogInvited(logger, actor, created.Value, command.Role);
        return created.Value;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {ActorId} invited user {UserId} as {Role}")]
    private static partial void LogInvited(ILogger logger, string actorId, string userId, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invitation by admin {ActorId} as {Role} refused: {Reason}")]
    private static partial void LogInvitationRefused(ILogger logger, string actorId, string role, string reason);
}

/// <summary>
/// Emails an invited staff member "You have a Retail staff account" with a link to the reset-password page, whose code
/// sets the first password (and so confirms the address). Sent after the invitation committed, never inside its
/// transaction (a slow mail server would hold SQLite's write lock). Owns its transaction: it writes nothing. A send that
/// fails is a <see cref="ErrorKind.Unavailable"/> error the admin sees; the account stays, and "Forgot your password?"
/// reaches the member as well.
/// </summary>
[AuthorizeRoles(Roles.Admin)]
public sealed record SendStaffInvitationCommand(string UserId) : ICommand, IOwnsTransaction;

public sealed class SendStaffInvitationCommandHandler(IIdentityService identity) : ICommandHandler<SendStaffInvitationCommand>
{
    public static readonly Error NotSent = new("identity.invitation_not_sent",
        "The account was created, but the invitation email could not be sent. The staff member can use \"Forgot your password?\" on the sign-in page once mail works again.",
        ErrorKind.Unavailable);

    public async ValueTask<Result> Handle(SendStaffInvitationCommand command, CancellationToken cancellationToken) =>
        await identity.SendStaffInvitationAsync(command.UserId, cancellationToken) ? Result.Success() : NotSent;
}
