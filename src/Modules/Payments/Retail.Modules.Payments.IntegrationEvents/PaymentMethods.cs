using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.Modules.Payments.IntegrationEvents;

/// <summary>Every payment method registered in the Payments module, for checkout to offer.</summary>
public sealed record GetPaymentMethods : IQuery<IReadOnlyList<PaymentMethodDto>>;

/// <param name="DetailFields">What the customer must enter for this method; passed back in <see cref="ChargePayment.Details"/>.</param>
public sealed record PaymentMethodDto(string Code, string DisplayName, IReadOnlyList<PaymentDetailField> DetailFields);

/// <param name="Name">Key in <see cref="ChargePayment.Details"/>.</param>
/// <param name="Label">Text for the form field.</param>
/// <param name="Hint">An example or format hint, e.g. "MM/YY".</param>
public sealed record PaymentDetailField(string Name, string Label, string? Hint = null);
