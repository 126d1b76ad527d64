using FluentValidation;
using Retail.BuildingBlocks.Application.Behaviors;
using Retail.Modules.Payments.Application.PaymentMethods;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.Domain.StoreCredit;
using ChargePaymentCommand = Retail.Modules.Payments.IntegrationEvents.ChargePayment;

namespace Retail.Modules.Payments.Application.Payments.ChargePayment;

public sealed class ChargePaymentValidator : AbstractValidator<ChargePaymentCommand>
{
    public ChargePaymentValidator()
    {
        RuleFor(c => c.OrderId).NotEmpty();
        RuleFor(c => c.CustomerId).NotEmpty().MaximumLength(StoreCreditAccount.MaxCustomerIdLength);
        RuleFor(c => c.Amount).Must(a => !new PaymentAmountMustBePositiveRule(a).IsBroken())
            .WithMessage(new PaymentAmountMustBePositiveRule(0m).Message);
        RuleFor(c => c.Currency).Must(CurrencyMustBeIsoCodeRule.IsIsoCode).WithMessage(new CurrencyMustBeIsoCodeRule("").Message);
        RuleFor(c => c.IdempotencyKey).NotEmpty().MaximumLength(Payment.MaxIdempotencyKeyLength);
        // The registry is scoped (its methods are), so it comes with the request.
        RuleFor(c => c.Method).Must((_, m, context) =>
        {
            var methods = context.GetRequiredRequestService<PaymentMethodRegistry>();
            context.MessageFormatter.AppendArgument("Methods", string.Join(", ", methods.Codes));
            return methods.Find(m) is not null;
        }).WithMessage("Choose one of the payment methods: {Methods}.");
        RuleFor(c => c).Custom((command, context) =>
        {
            if (context.GetRequiredRequestService<PaymentMethodRegistry>().Find(command.Method) is not { } method)
            {
                return;
            }

            foreach (var field in PaymentDetailsReader.GivenTwiceKeys(command.Details))
            {
                context.AddFailure($"{nameof(command.Details)}.{field}", PaymentDetailsReader.GivenTwice);
            }

            foreach (var (field, messages) in method.ValidateDetails(DetailsOf(command)))
            {
                foreach (var message in messages)
                {
                    context.AddFailure($"{nameof(command.Details)}.{field}", message);
                }
            }
        });
    }

    /// <summary>The details with case-insensitive keys (forms and JSON clients spell them differently).</summary>
    public static IReadOnlyDictionary<string, string> DetailsOf(ChargePaymentCommand command) =>
        PaymentDetailsReader.CaseInsensitive(command?.Details);
}
