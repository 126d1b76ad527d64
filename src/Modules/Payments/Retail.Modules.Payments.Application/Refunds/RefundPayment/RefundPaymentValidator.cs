using FluentValidation;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.Domain.Refunds;
using RefundPaymentCommand = Retail.Modules.Payments.IntegrationEvents.RefundPayment;

namespace Retail.Modules.Payments.Application.Refunds.RefundPayment;

public sealed class RefundPaymentValidator : AbstractValidator<RefundPaymentCommand>
{
    public RefundPaymentValidator()
    {
        RuleFor(c => c.PaymentId).NotEmpty();
        RuleFor(c => c.Amount).Must(a => !new RefundAmountMustBePositiveRule(a).IsBroken()).WithMessage(new RefundAmountMustBePositiveRule(0m).Message);
        RuleFor(c => c.IdempotencyKey).NotEmpty().MaximumLength(Payment.MaxIdempotencyKeyLength);
        RuleFor(c => c.Reason).NotEmpty().WithMessage("Say why the money goes back.").MaximumLength(Refund.MaxReasonLength);
    }
}
