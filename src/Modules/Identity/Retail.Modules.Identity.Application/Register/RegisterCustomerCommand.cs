using FluentValidation;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.Abstractions;
using Retail.Modules.Identity.Domain;
using Retail.Modules.Identity.IntegrationEvents;

namespace Retail.Modules.Identity.Application.Register;

/// <summary>
/// Creates a customer account; returns the new user id. Anyone may register. The callers then send
/// <see cref="SendEmailConfirmationCommand"/>: the email goes out after this command's transaction committed.
/// </summary>
public sealed record RegisterCustomerCommand(string Email, string Password, string ConfirmPassword, string DisplayName) : ICommand<string>;

public sealed class RegisterCustomerCommandValidator : AbstractValidator<RegisterCustomerCommand>
{
    public RegisterCustomerCommandValidator()
    {
        RuleFor(c => c.Email).NotEmpty().EmailAddress().MaximumLength(256)
            .Must(e => !new EmailMustUseAcceptedCharactersRule(e).IsBroken()).WithMessage(EmailMustUseAcceptedCharactersRule.Explanation);
        RuleFor(c => c.Password).NotEmpty().MinimumLength(AccountPolicy.MinimumPasswordLength).MaximumLength(AccountPolicy.MaxPasswordLength);
        RuleFor(c => c.ConfirmPassword).Equal(c => c.Password).WithMessage("The passwords do not match.");
        RuleFor(c => c.DisplayName).Must(n => !new DisplayNameMustBePrintableRule(n).IsBroken())
            .WithMessage($"Enter a name of 1–{AccountPolicy.MaxDisplayNameLength} printable characters.");
    }
}

public sealed class RegisterCustomerCommandHandler(IIdentityService identity, IIdentityDbContext db, TimeProvider time) : ICommandHandler<RegisterCustomerCommand, string>
{
    public async ValueTask<Result<string>> Handle(RegisterCustomerCommand command, CancellationToken cancellationToken)
    {
        var created = await identity.CreateCustomerAsync(command.Email.Trim(), command.Password, command.DisplayName.Trim(), cancellationToken);
        if (!created.IsSuccess)
        {
            return created;
        }

        db.Publish(new CustomerRegistered(Guid.NewGuid(), time.GetUtcNow(), created.Value, command.Email.Trim(), command.DisplayName.Trim()));
        return created.Value;
    }
}

/// <summary>
/// Emails a new account the link that confirms its address (password reset codes only go to confirmed addresses). Sent
/// by the register page and API once <see cref="RegisterCustomerCommand"/> succeeded, so the send happens after the
/// registration committed: inside its transaction a slow mail server held SQLite's one write lock, and every other
/// writer (checkouts) waited for it. Owns its transaction: it writes nothing. Never fails: a failed send is logged and
/// "Forgot your password?" sends a new link.
/// </summary>
public sealed record SendEmailConfirmationCommand(string UserId) : ICommand, IOwnsTransaction;

public sealed class SendEmailConfirmationCommandHandler(IIdentityService identity) : ICommandHandler<SendEmailConfirmationCommand>
{
    public async ValueTask<Result> Handle(SendEmailConfirmationCommand command, CancellationToken cancellationToken)
    {
        await identity.SendEmailConfirmationAsync(command.UserId, cancellationToken);
        return Result.Success();
    }
}
