using FluentValidation;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.Abstractions;
using Retail.Modules.Identity.Domain;

namespace Retail.Modules.Identity.Application.SignIn;

/// <summary>What a correct password led to.</summary>
public enum SignInOutcome
{
    /// <summary>The sign-in cookie is issued.</summary>
    SignedIn,

    /// <summary>
    /// The account has two-factor authentication on: no sign-in yet, only a short-lived note of whose password was right;
    /// <see cref="TwoFactorSignInCommand"/> or <see cref="RecoveryCodeSignInCommand"/> finishes the sign-in.
    /// </summary>
    RequiresTwoFactor,
}

/// <summary>
/// Signs in with email and password. It owns its transaction: a failed attempt must still be saved, because failed
/// attempts are what lock an account out.
/// </summary>
public sealed record SignInCommand(string Email, string Password, bool RememberMe) : ICommand<SignInOutcome>, IOwnsTransaction;

public sealed class SignInCommandValidator : AbstractValidator<SignInCommand>
{
    public SignInCommandValidator()
    {
        RuleFor(c => c.Email).NotEmpty().MaximumLength(256);
        RuleFor(c => c.Password).NotEmpty().MaximumLength(AccountPolicy.MaxPasswordLength);
    }
}

public sealed class SignInCommandHandler(IIdentityService identity) : ICommandHandler<SignInCommand, SignInOutcome>
{
    public async ValueTask<Result<SignInOutcome>> Handle(SignInCommand command, CancellationToken cancellationToken) =>
        await identity.PasswordSignInAsync(command.Email.Trim(), command.Password, command.RememberMe, cancellationToken);
}

/// <summary>
/// The second step of a sign-in whose password was right (<see cref="SignInOutcome.RequiresTwoFactor"/>): the 6-digit code
/// of the authenticator app. A wrong code counts towards lockout like a wrong password, so the transaction is its own.
/// </summary>
public sealed record TwoFactorSignInCommand(string Code, bool RememberMe) : ICommand, IOwnsTransaction;

public sealed class TwoFactorSignInCommandValidator : AbstractValidator<TwoFactorSignInCommand>
{
    public TwoFactorSignInCommandValidator() =>
        RuleFor(c => c.Code).NotEmpty().WithMessage("Enter the 6-digit code from your authenticator app.").MaximumLength(32);
}

public sealed class TwoFactorSignInCommandHandler(IIdentityService identity) : ICommandHandler<TwoFactorSignInCommand>
{
    // Apps show the code as "123 456"; people type it with spaces or dashes.
    public async ValueTask<Result> Handle(TwoFactorSignInCommand command, CancellationToken cancellationToken) =>
        await identity.TwoFactorSignInAsync(command.Code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal),
            command.RememberMe, cancellationToken);
}

/// <summary>
/// The second step with one of the recovery codes given when two-factor authentication was turned on, for a customer
/// without the authenticator app; each code works once.
/// </summary>
public sealed record RecoveryCodeSignInCommand(string RecoveryCode) : ICommand, IOwnsTransaction;

public sealed class RecoveryCodeSignInCommandValidator : AbstractValidator<RecoveryCodeSignInCommand>
{
    public RecoveryCodeSignInCommandValidator() =>
        RuleFor(c => c.RecoveryCode).NotEmpty().WithMessage("Enter one of your recovery codes.").MaximumLength(64);
}

public sealed class RecoveryCodeSignInCommandHandler(IIdentityService identity) : ICommandHandler<RecoveryCodeSignInCommand>
{
    // Identity stores the codes without spaces; a code copied from a list often carries some.
    public async ValueTask<Result> Handle(RecoveryCodeSignInCommand command, CancellationToken cancellationToken) =>
        await identity.RecoveryCodeSignInAsync(command.RecoveryCode.Replace(" ", "", StringComparison.Ordinal), cancellationToken);
}

[Retail.BuildingBlocks.Application.Security.Authenticated]
public sealed record SignOutCommand : ICommand, IOwnsTransaction;

public sealed class SignOutCommandHandler(IIdentityService identity) : ICommandHandler<SignOutCommand>
{
    public async ValueTask<Result> Handle(SignOutCommand command, CancellationToken cancellationToken)
    {
        await identity.SignOutAsync();
        return Result.Success();
    }
}
