using FluentValidation;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Behaviors;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Ordering.Application.Orders.Payments;
using Retail.Modules.Ordering.Domain.Orders;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Ordering.Application.Orders.PlaceOrder;

/// <summary>
/// Everything that can be refused before anything is counted or written: quantities 1..99, known and distinct SKUs,
/// a complete address, a registered payment method, a sane store-credit amount and an idempotency key.
/// </summary>
public sealed class PlaceOrderCommandValidator : AbstractValidator<PlaceOrderCommand>
{
    public const int MaxKeyLength = 100;

    private const string ControlCharacters = "This field cannot contain control characters (line breaks, tabs).";

    public PlaceOrderCommandValidator()
    {
        RuleFor(c => c.Items).NotNull().NotEmpty().WithMessage("Add at least one item.")
            .Must(items => items is null || items.Count <= Order.MaxLines).WithMessage($"At most {Order.MaxLines} different products per order.")
            .Must(items => items is null || items.Select(i => Normalize(i?.Sku)).Distinct(StringComparer.Ordinal).Count() == items.Count)
            .WithMessage("Each product may appear only once.");
        // A JSON body can carry "items":[null]; the rules below skip a null item, and the handler would throw on it.
        RuleForEach(c => c.Items).NotNull().WithMessage("Each item needs a SKU and a quantity.").OverridePropertyName("Items");
        RuleForEach(c => c.Items).ChildRules(item =>
        {
            item.RuleFor(i => i.Sku).NotEmpty().MaximumLength(40);
            item.RuleFor(i => i.Quantity).InclusiveBetween(1, Order.MaxQuantity).WithMessage($"Quantity must be between 1 and {Order.MaxQuantity}.");
        }).OverridePropertyName("Items");
        RuleFor(c => c.Items)
            .MustAsync(async (_, items, context, ct) => await UnknownSkusAsync(context.GetRequiredRequestService<IRequestSender>(), items, ct) is { Count: 0 })
            .WithMessage("One or more products do not exist.")
            .When(c => c.Items is { Count: > 0 and <= Order.MaxLines } && c.Items.All(i => i is not null && !string.IsNullOrWhiteSpace(i.Sku)));

        RuleFor(c => c.ShippingAddress).NotNull().WithMessage("Enter a shipping address.");
        When(c => c.ShippingAddress is not null, () =>
        {
            // Each field is one line of a parcel label: a NUL, a line break or an escape sequence was stored as typed.
            RuleFor(c => c.ShippingAddress.Name).NotEmpty().MaximumLength(100).NoControlCharacters().WithMessage(ControlCharacters).OverridePropertyName("ShippingAddress.Name");
            RuleFor(c => c.ShippingAddress.Line1).NotEmpty().MaximumLength(200).NoControlCharacters().WithMessage(ControlCharacters).OverridePropertyName("ShippingAddress.Line1");
            RuleFor(c => c.ShippingAddress.Line2).MaximumLength(200).NoControlCharacters().WithMessage(ControlCharacters).OverridePropertyName("ShippingAddress.Line2");
            RuleFor(c => c.ShippingAddress.City).NotEmpty().MaximumLength(100).NoControlCharacters().WithMessage(ControlCharacters).OverridePropertyName("ShippingAddress.City");
            RuleFor(c => c.ShippingAddress.PostalCode).NotEmpty().MaximumLength(20).NoControlCharacters().WithMessage(ControlCharacters).OverridePropertyName("ShippingAddress.PostalCode");
            RuleFor(c => c.ShippingAddress.Country).NotEmpty().MaximumLength(100).NoControlCharacters().WithMessage(ControlCharacters).OverridePropertyName("ShippingAddress.Country");
        });

        RuleFor(c => c.PaymentMethod).NotEmpty().WithMessage("Choose a payment method.")
            .MustAsync(async (_, method, context, ct) => await IsRegisteredAsync(context.GetRequiredRequestService<IRequestSender>(), method, ct)).WithMessage("Choose one of the offered payment methods.")
            // Only the lookup waits for a method: applied to the whole rule, the condition also switched NotEmpty off, so a
            // checkout without a method stored an order and cancelled it as "declined".
            .When(c => !string.IsNullOrWhiteSpace(c.PaymentMethod), ApplyConditionTo.CurrentValidator);
        // Both parts would be charged under the one key order-{id}:store-credit, and Payments refuses the second as a
        // reused key: the order was stored, then cancelled as declined although the balance covered it.
        RuleFor(c => c.PaymentMethod)
            .Must(method => !string.Equals(method?.Trim(), OrderPaymentProcessor.StoreCreditMethod, StringComparison.OrdinalIgnoreCase))
            .WithMessage("Store credit is already the payment method: leave the store credit amount at 0, or choose another method for the rest.")
            .When(c => c.StoreCredit > 0);
        // "paymentDetails":{"cardNumber":null} binds a null value, which the request hash and the charge cannot use.
        RuleFor(c => c.PaymentDetails).Must(d => d is null || d.Values.All(v => v is not null)).WithMessage("Fill in every payment detail.");
        RuleFor(c => c.StoreCredit).GreaterThanOrEqualTo(0m).PrecisionScale(12, 2, ignoreTrailingZeros: true);
        RuleFor(c => c.IdempotencyKey).NotEmpty().WithMessage("An idempotency key is required.").MaximumLength(MaxKeyLength);
    }

    private static string Normalize(string? sku) => (sku ?? "").Trim().ToUpperInvariant();

    private static async Task<IReadOnlyList<string>> UnknownSkusAsync(IRequestSender sender, IReadOnlyList<OrderItemInput> items, CancellationToken cancellationToken)
    {
        var skus = items.Select(i => Normalize(i.Sku)).Distinct(StringComparer.Ordinal).ToList();
        var unknown = await sender.Send(new FindUnknownSkus(skus), cancellationToken);
        return unknown.IsSuccess ? unknown.Value : skus;
    }

    private static async Task<bool> IsRegisteredAsync(IRequestSender sender, string method, CancellationToken cancellationToken)
    {
        var methods = await sender.Send(new GetPaymentMethods(), cancellationToken);
        return methods.IsSuccess && methods.Value.Any(m => string.Equals(m.Code, method.Trim(), StringComparison.OrdinalIgnoreCase));
    }
}
