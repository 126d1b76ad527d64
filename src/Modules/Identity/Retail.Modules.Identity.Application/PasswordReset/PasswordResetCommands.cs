using FluentValidation;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.Abstractions;
using Retail.Modules.Identity.Domain;

namespace Retail.Modules.Identity.Application.PasswordReset;

/// <summary>
/// "Forgot your password?": emails a reset code and link when a confirmed account has this email, a fresh confirmation
/// link when the account's address is not confirmed yet, and nothing otherwise. The caller sees the same success in every
/// case, so the answer never tells whether an account exists; only too many requests for one address are refused.
/// Owns its transaction: nothing is written, and an email is not sent while a database transaction is held open.
/// </summary>
public sealed record RequestPasswordResetCommand(string Email) : ICommand, IOwnsTransaction;

public sealed class RequestPasswordResetCommandValidator : AbstractValidator<RequestPasswordResetCommand>
{
    public RequestPasswordResetCommandValidator() =>
        RuleFor(c => c.Email).NotEmpty().WithMessage("Enter your email.").MaximumLength(256);
}

public sealed class RequestPasswordResetCommandHandler(IIdentityService identity) : ICommandHandler<RequestPasswordResetCommand>
{
    public async ValueTask<Result> Handle(RequestPasswordResetCommand command, CancellationToken cancellationToken) =>
        await identity.RequestPasswordResetAsync(command.Email.Trim(), cancellationToken);
}

/// <summary>
/// "Send the confirmation email again" (<c>POST /api/identity/resendConfirmationEmail</c>): a new link to
/// <c>/identity/confirm-email</c> when an account with this email has not confirmed it, nothing otherwise; the same
/// success either way, and the same per-address limit as "forgot password" (Identity's own endpoint had none, so anyone
/// could flood a mailbox). Owns its transaction: nothing is written, and no email is sent while one is open.
/// </summary>
public sealed record ResendConfirmationEmailCommand(string Email) : ICommand, IOwnsTransaction;

public sealed class ResendConfirmationEmailCommandValidator : AbstractValidator<ResendConfirmationEmailCommand>
{
    public ResendConfirmationEmailCommandValidator() =>
        RuleFor(c => c.Email).NotEmpty().WithMessage("Enter your email.").MaximumLength(256);
}

public sealed class ResendConfirmationEmailCommandHandler(IIdentityService identity) : ICommandHandler<ResendConfirmationEmailCommand>
{
    public async ValueTask<Result> Handle(ResendConfirmationEmailCommand command, CancellationToken cancellationToken) =>
        await identity.ResendEmailConfirmationAsync(command.Email.Trim(), cancellationToken);
}

/// <summary>Sets a new password with the code from the reset email; the password change ends the account's other sessions.</summary>
public sealed record ResetPasswordCommand(string Email, string Code, string NewPassword, string ConfirmPassword) : ICommand, IOwnsTransaction;

public sealed class ResetPasswordCommandValidator : AbstractValidator<ResetPasswordCommand>
{
    public ResetPasswordCommandValidator()
    {
        RuleFor(c => c.Email).NotEmpty().WithMessage("Enter your email.").MaximumLength(256);
        RuleFor(c => c.Code).NotEmpty().WithMessage("Enter the reset code from the email.").MaximumLength(4096);
        // The same rules as registration: Identity adds the character classes (upper, lower, digit, symbol).
        RuleFor(c => c.NewPassword).NotEmpty().WithMessage("Enter a new password.")
            .MinimumLength(AccountPolicy.MinimumPasswordLength).MaximumLength(AccountPolicy.MaxPasswordLength);
        RuleFor(c => c.ConfirmPassword).Equal(c => c.NewPassword).WithMessage("The passwords do not match.");
    }
}

public sealed class ResetPasswordCommandHandler(IIdentityService identity) : ICommandHandler<ResetPasswordCommand>
{
    public async ValueTask<Result> Handle(ResetPasswordCommand command, CancellationToken cancellationToken) =>
        await identity.ResetPasswordAsync(command.Email.Trim(), command.Code.Trim(), command.NewPassword, cancellationToken);
}

/// <summary>Confirms an account's email with the code from the confirmation link.</summary>
public sealed record ConfirmEmailCommand(string UserId, string Code) : ICommand, IOwnsTransaction;

public sealed class ConfirmEmailCommandValidator : AbstractValidator<ConfirmEmailCommand>
{
    public ConfirmEmailCommandValidator()
    {
        RuleFor(c => c.UserId).NotEmpty().WithMessage("The confirmation link is incomplete: open the link from the email again.").MaximumLength(450);
        RuleFor(c => c.Code).NotEmpty().WithMessage("The confirmation link is incomplete: open the link from the email again.").MaximumLength(4096);
    }
}

public sealed class ConfirmEmailCommandHandler(IIdentityService identity) : ICommandHandler<ConfirmEmailCommand>
{
    public async ValueTask<Result> Handle(ConfirmEmailCommand command, CancellationToken cancellationToken) =>
        await identity.ConfirmEmailAsync(command.UserId, command.Code, cancellationToken);
}

/// <summary>
/// The link of the email a change of address sends to the new address: the account's email and sign-in name become the
/// new address. Both changes commit in the command's one transaction, so an account never has one without the other.
/// </summary>
public sealed record ConfirmEmailChangeCommand(string UserId, string Code, string NewEmail) : ICommand;

public sealed class ConfirmEmailChangeCommandValidator : AbstractValidator<ConfirmEmailChangeCommand>
{
    public ConfirmEmailChangeCommandValidator()
    {
        const string Incomplete = "The confirmation link is incomplete: open the link from the email again.";
        RuleFor(c => c.UserId).NotEmpty().WithMessage(Incomplete).MaximumLength(450);
        RuleFor(c => c.Code).NotEmpty().WithMessage(Incomplete).MaximumLength(4096);
        // The address becomes the sign-in name: one the sign-in name cannot take would change the email and leave the old
        // name, and the customer could sign in with neither address as typed.
        RuleFor(c => c.NewEmail).NotEmpty().WithMessage(Incomplete).MaximumLength(256)
            .Must(e => !new EmailMustUseAcceptedCharactersRule(e).IsBroken()).WithMessage(EmailMustUseAcceptedCharactersRule.Explanation);
    }
}

public sealed class ConfirmEmailChangeCommandHandler(IIdentityService identity) : ICommandHandler<ConfirmEmailChangeCommand>
{
    public async ValueTask<Result> Handle(ConfirmEmailChangeCommand command, CancellationToken cancellationToken) =>
        await identity.ConfirmEmailChangeAsync(command.UserId, command.Code, command.NewEmail.Trim(), cancellationToken);
}
