using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.Modules.Payments.IntegrationEvents;

/// <summary>Every payment method registered in the Payments module, for checkout to offer.</summary>
public sealed record GetPaymentMethods : IQuery<IReadOnlyList<PaymentMethodDto>>;

/// <summary>
/// What is wrong with the details entered for a payment method — field name → messages, empty when they can be charged
/// (a well-formed card number and expiry, say). The checks <see cref="ChargePayment"/> makes on its details, so checkout
/// can refuse a typo before an order exists.
/// </summary>
public sealed record CheckPaymentDetails(string Method, IReadOnlyDictionary<string, string>? Details) : IQuery<IReadOnlyDictionary<string, string[]>>;

/// <param name="DetailFields">What the customer must enter for this method; passed back in <see cref="ChargePayment.Details"/>.</param>
public sealed record PaymentMethodDto(string Code, string DisplayName, IReadOnlyList<PaymentDetailField> DetailFields);

/// <param name="Name">Key in <see cref="ChargePayment.Details"/>.</param>
/// <param name="Label">Text for the form field.</param>
/// <param name="Hint">An example or format hint, e.g. "MM/YY".</param>
public sealed record PaymentDetailField(string Name, string Label, string? Hint = null);
