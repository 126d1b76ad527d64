using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;

namespace Retail.Modules.Ordering.Application.Orders.PlaceOrder;

/// <summary>
/// Places an order for the signed-in customer (SPEC A1, A2, A3, P2): rate limit → idempotency → prices from Catalog →
/// atomic stock reservation → order row + outbox → payment outside any transaction. Prices never come from the caller.
/// </summary>
/// <param name="Items">SKUs and quantities (from the API body or the cart).</param>
/// <param name="PaymentDetails">Method-specific fields as listed by Payments' GetPaymentMethods (e.g. cardNumber, expiry).</param>
/// <param name="StoreCredit">Part of the total to pay with store credit (0 for none); charged before the method.</param>
/// <param name="IdempotencyKey">The Idempotency-Key header, or the key the checkout page generated when it rendered.</param>
/// <param name="ClearCart">Checkout from the cart page: <paramref name="Items"/> are the cart's lines as the page showed them.
/// One that has left the cart since, or whose quantity changed there (another tab), orders nothing: 409
/// <c>ordering.cart_changed</c> naming the product. Once the order is accepted, its lines leave the cart.</param>
/// <param name="ExpectedPrices">Unit prices per SKU the customer was shown (the checkout page sends them). When a price is now
/// higher — typically a flash sale ended between cart and checkout — nothing is ordered and the answer is 409
/// <c>ordering.price_changed</c> with the new prices, so the customer confirms the regular price before paying it.</param>
[Authenticated]
public sealed record PlaceOrderCommand(
    IReadOnlyList<OrderItemInput> Items,
    ShippingAddressInput ShippingAddress,
    string PaymentMethod,
    IReadOnlyDictionary<string, string>? PaymentDetails,
    decimal StoreCredit,
    string IdempotencyKey,
    bool ClearCart = false,
    IReadOnlyDictionary<string, decimal>? ExpectedPrices = null) : ICommand<PlaceOrderResult>, IOwnsTransaction;

public sealed record OrderItemInput(string Sku, int Quantity);

public sealed record ShippingAddressInput(string Name, string Line1, string? Line2, string City, string PostalCode, string Country);
