using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Ordering.Domain.Orders;

/// <summary>
/// The order lifecycle: Pending → PaymentPending → Paid → Shipped → Delivered; Pending and PaymentPending may end
/// Cancelled. Nothing leaves Delivered or Cancelled.
/// </summary>
public sealed class OrderStatusTransitionMustBeAllowedRule(OrderStatus from, OrderStatus to, bool sameStateAllowed = false) : IBusinessRule
{
    public static bool IsAllowed(OrderStatus from, OrderStatus to) => (from, to) switch
    {
        (OrderStatus.Pending, OrderStatus.PaymentPending) => true,
        (OrderStatus.Pending, OrderStatus.Cancelled) => true,
        (OrderStatus.PaymentPending, OrderStatus.Paid) => true,
        (OrderStatus.PaymentPending, OrderStatus.Cancelled) => true,
        (OrderStatus.Paid, OrderStatus.Shipped) => true,
        (OrderStatus.Shipped, OrderStatus.Delivered) => true,
        _ => false,
    };

    public bool IsBroken() => !(IsAllowed(from, to) || (sameStateAllowed && from == to));

    public string Message => $"An order that is {from} cannot become {to}.";
}

public sealed class OrderMustHaveLinesRule(int lines) : IBusinessRule
{
    public bool IsBroken() => lines is < 1 or > Order.MaxLines;

    public string Message => $"An order has between 1 and {Order.MaxLines} lines.";
}

public sealed class OrderLineQuantityMustBeInRangeRule(int quantity) : IBusinessRule
{
    public bool IsBroken() => quantity is < 1 or > Order.MaxQuantity;

    public string Message => $"Quantity must be between 1 and {Order.MaxQuantity}.";
}

public sealed class UnitPriceMustBeNonNegativeRule(decimal price) : IBusinessRule
{
    public bool IsBroken() => price < 0;

    public string Message => "A price cannot be negative.";
}

public sealed class StoreCreditCannotExceedTotalRule(decimal storeCredit, decimal total) : IBusinessRule
{
    public bool IsBroken() => storeCredit < 0 || storeCredit > total;

    public string Message => "Store credit used cannot be negative or more than the order total.";
}
