using FluentValidation;
using Retail.Modules.Payments.Domain.Payments;
using AbandonPaymentCommand = Retail.Modules.Payments.IntegrationEvents.AbandonPayment;

namespace Retail.Modules.Payments.Application.Payments.AbandonPayment;

public sealed class AbandonPaymentValidator : AbstractValidator<AbandonPaymentCommand>
{
    public AbandonPaymentValidator()
    {
        RuleFor(c => c.IdempotencyKey).NotEmpty().MaximumLength(Payment.MaxIdempotencyKeyLength);
        RuleFor(c => c.Reason).NotEmpty().WithMessage("Say why the payment is abandoned.").MaximumLength(Payment.MaxErrorLength);
    }
}
