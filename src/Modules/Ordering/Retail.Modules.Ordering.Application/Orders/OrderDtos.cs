using Retail.Modules.Ordering.Domain.Orders;

namespace Retail.Modules.Ordering.Application.Orders;

public sealed record OrderLineDto(string Sku, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);

public sealed record ShippingAddressDto(string Name, string Line1, string? Line2, string City, string PostalCode, string Country);

public sealed record OrderDto(
    Guid Id,
    string Number,
    string Status,
    IReadOnlyList<OrderLineDto> Lines,
    ShippingAddressDto ShippingAddress,
    string PaymentMethod,
    decimal StoreCreditAmount,
    decimal Subtotal,
    decimal Total,
    string Currency,
    DateTimeOffset PlacedAt,
    DateTimeOffset? PaymentDeadline,
    DateTimeOffset? PaidAt,
    DateTimeOffset? ShippedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? CancelledAt,
    string? CancelReason)
{
    public static OrderDto From(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var a = order.ShippingAddress;
        return new OrderDto(
            order.Id,
            order.Number,
            order.Status.ToString(),
            [.. order.Lines.OrderBy(l => l.Sku, StringComparer.Ordinal).Select(l => new OrderLineDto(l.Sku, l.Name, l.UnitPrice, l.Quantity, l.LineTotal))],
            new ShippingAddressDto(a.Name, a.Line1, a.Line2, a.City, a.PostalCode, a.Country),
            order.PaymentMethod,
            order.StoreCreditAmount,
            order.Subtotal,
            order.Total,
            order.Currency,
            order.PlacedAt,
            order.PaymentDeadline,
            order.PaidAt,
            order.ShippedAt,
            order.DeliveredAt,
            order.CancelledAt,
            order.CancelReason);
    }
}

public sealed record OrderSummaryDto(Guid Id, string Number, string Status, int Items, decimal Total, string Currency, DateTimeOffset PlacedAt, string CustomerId);

/// <param name="Message">What to tell the customer (the SPEC "high traffic" text while the payment is pending).</param>
public sealed record PlaceOrderResult(OrderDto Order, bool PaymentPending, string Message);
