using FluentValidation;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Identity.Application.Abstractions;
using Retail.Modules.Identity.Domain;
using Retail.Modules.Identity.IntegrationEvents;

namespace Retail.Modules.Identity.Application.Register;

public sealed class CreatePartnerUserValidator : AbstractValidator<CreatePartnerUser>
{
    public CreatePartnerUserValidator()
    {
        RuleFor(c => c.Email).NotEmpty().EmailAddress().MaximumLength(256)
            .Must(e => !new EmailMustUseAcceptedCharactersRule(e).IsBroken()).WithMessage(EmailMustUseAcceptedCharactersRule.Explanation);
        RuleFor(c => c.Password).NotEmpty().MinimumLength(AccountPolicy.MinimumPasswordLength).MaximumLength(AccountPolicy.MaxPasswordLength);
        RuleFor(c => c.DisplayName).Must(n => !new DisplayNameMustBePrintableRule(n).IsBroken())
            .WithMessage($"Enter a name of 1–{AccountPolicy.MaxDisplayNameLength} printable characters.");
    }
}

public sealed class CreatePartnerUserHandler(IIdentityService identity) : ICommandHandler<CreatePartnerUser, string>
{
    public async ValueTask<Result<string>> Handle(CreatePartnerUser command, CancellationToken cancellationToken) =>
        await identity.CreateUserInRoleAsync(command.Email.Trim(), command.Password, command.DisplayName.Trim(), Roles.Partner, cancellationToken);
}
