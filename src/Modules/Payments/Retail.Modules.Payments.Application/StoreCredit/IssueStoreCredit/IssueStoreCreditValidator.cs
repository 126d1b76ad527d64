using FluentValidation;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.Domain.StoreCredit;

namespace Retail.Modules.Payments.Application.StoreCredit.IssueStoreCredit;

public sealed class IssueStoreCreditValidator : AbstractValidator<IntegrationEvents.IssueStoreCredit>
{
    public IssueStoreCreditValidator()
    {
        RuleFor(c => c.CustomerId).NotEmpty().MaximumLength(StoreCreditAccount.MaxCustomerIdLength);
        RuleFor(c => c.Amount).Must(a => !new StoreCreditAmountMustBePositiveRule(a).IsBroken()).WithMessage(new StoreCreditAmountMustBePositiveRule(0m).Message);
        RuleFor(c => c.Reason).NotEmpty().MaximumLength(StoreCreditEntry.MaxReasonLength);
        RuleFor(c => c.Reference).NotEmpty().MaximumLength(StoreCreditEntry.MaxReferenceLength);
        RuleFor(c => c.IdempotencyKey).NotEmpty().MaximumLength(Payment.MaxIdempotencyKeyLength);
    }
}
