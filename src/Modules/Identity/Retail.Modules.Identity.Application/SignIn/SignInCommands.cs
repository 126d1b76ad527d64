using FluentValidation;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.Abstractions;
using Retail.Modules.Identity.Domain;

namespace Retail.Modules.Identity.Application.SignIn;

/// <summary>
/// Signs in with email and password. It owns its transaction: a failed attempt must still be saved, because failed
/// attempts are what lock an account out.
/// </summary>
public sealed record SignInCommand(string Email, string Password, bool RememberMe) : ICommand, IOwnsTransaction;

public sealed class SignInCommandValidator : AbstractValidator<SignInCommand>
{
    public SignInCommandValidator()
    {
        RuleFor(c => c.Email).NotEmpty().MaximumLength(256);
        RuleFor(c => c.Password).NotEmpty().MaximumLength(AccountPolicy.MaxPasswordLength);
    }
}

public sealed class SignInCommandHandler(IIdentityService identity) : ICommandHandler<SignInCommand>
{
    public async ValueTask<Result> Handle(SignInCommand command, CancellationToken cancellationToken) =>
        await identity.PasswordSignInAsync(command.Email.Trim(), command.Password, command.RememberMe, cancellationToken);
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
