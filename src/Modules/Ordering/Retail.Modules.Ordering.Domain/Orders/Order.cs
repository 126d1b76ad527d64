using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Ordering.Domain.Orders;

public enum OrderStatus
{
    Pending,
    PaymentPending,
    Paid,
    Shipped,
    Delivered,
    Cancelled,
}

/// <summary>Where the parcel goes.</summary>
public sealed record ShippingAddress(string Name, string Line1, string? Line2, string City, string PostalCode, string Country);

/// <summary>
/// An order: lines with name, unit price and quantity locked when its stock was reserved, where it ships, how it is paid
/// (store credit first, then the chosen method), and its status. Every transition is checked by
/// <see cref="OrderStatusTransitionMustBeAllowedRule"/>.
/// </summary>
public sealed class Order : AggregateRoot<Guid>
{
    public const int MaxLines = 50;
    public const int MaxQuantity = 99;

    private readonly List<OrderLine> _lines = [];

    private Order()
    {
    }

    public string Number { get; private set; } = "";

    public string CustomerId { get; private set; } = "";

    /// <summary>Where the confirmation goes: the signed-in user's email at checkout; null when it was not known.</summary>
    public string? CustomerEmail { get; private set; }

    public IReadOnlyList<OrderLine> Lines => _lines;

    public ShippingAddress ShippingAddress { get; private set; } = null!;

    public string PaymentMethod { get; private set; } = "";

    /// <summary>The order's payment idempotency key; each part's charge key derives from it, so a retry never charges twice.</summary>
    public string PaymentKey { get; private set; } = "";

    /// <summary>Method details (card number...) protected with ASP.NET Data Protection while the payment is unfinished; null afterwards.</summary>
    public string? ProtectedPaymentDetails { get; private set; }

    public decimal StoreCreditAmount { get; private set; }

    public Guid? StoreCreditPaymentId { get; private set; }

    public Guid? PaymentId { get; private set; }

    public decimal Subtotal { get; private set; }

    public decimal Total { get; private set; }

    /// <summary>What the chosen method must pay after store credit.</summary>
    public decimal AmountDueByMethod => Total - StoreCreditAmount;

    public string Currency { get; private set; } = "";

    public OrderStatus Status { get; private set; }

    public DateTimeOffset PlacedAt { get; private set; }

    public DateTimeOffset? PaymentDeadline { get; private set; }

    public int PaymentAttempts { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    public DateTimeOffset? ShippedAt { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    public DateTimeOffset? CancelledAt { get; private set; }

    public string? CancelReason { get; private set; }

    /// <summary>Set once Catalog has put the stock of a cancelled order back; a sweep finishes it otherwise.</summary>
    public DateTimeOffset? StockReleasedAt { get; private set; }

    public int Version { get; private set; }

    public static Order Create(
        Guid id,
        string number,
        string customerId,
        IReadOnlyList<OrderLine> lines,
        ShippingAddress address,
        string paymentMethod,
        string paymentKey,
        decimal storeCreditAmount,
        string currency,
        DateTimeOffset now,
        string? customerEmail = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(address);
        CheckRule(new OrderMustHaveLinesRule(lines.Count));
        var subtotal = lines.Sum(l => l.LineTotal);
        CheckRule(new StoreCreditCannotExceedTotalRule(storeCreditAmount, subtotal));
        var order = new Order
        {
            Id = id,
            Number = number,
            CustomerId = customerId,
            CustomerEmail = string.IsNullOrWhiteSpace(customerEmail) ? null : customerEmail.Trim(),
            ShippingAddress = address,
            PaymentMethod = paymentMethod,
            PaymentKey = paymentKey,
            StoreCreditAmount = storeCreditAmount,
            Subtotal = subtotal,
            Total = subtotal,
            Currency = currency,
            Status = OrderStatus.Pending,
            PlacedAt = now,
        };
        order._lines.AddRange(lines.Select(l => l.For(id)));
        return order;
    }

    /// <summary>
    /// A zero-price order replacing the lines of a return (REPLACEMENT disposition): nothing to pay, so it is Paid at once
    /// and goes to the warehouse like any paid order. The stock is reserved by Catalog for the same order id.
    /// </summary>
    public static Order CreateReplacement(Guid id, string number, string customerId, string? customerEmail, IReadOnlyList<(string Sku, string Name, int Quantity)> lines, ShippingAddress address, string returnKey, string currency, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var order = Create(id, number, customerId, lines.Select(l => OrderLine.Create(l.Sku, l.Name, 0m, l.Quantity)).ToList(), address, "replacement", returnKey, 0m, currency, now, customerEmail);
        order.Status = OrderStatus.PaymentPending;
        order.MarkPaid(null, now);
        return order;
    }

    /// <summary>Stock is held: the order is stored and waits for its payment until <paramref name="deadline"/>.</summary>
    public void AwaitPayment(DateTimeOffset deadline, string? protectedPaymentDetails, DateTimeOffset now)
    {
        MoveTo(OrderStatus.PaymentPending);
        PaymentDeadline = deadline;
        ProtectedPaymentDetails = protectedPaymentDetails;
        Raise(new OrderPlacedDomainEvent(this, now));
    }

    public void RecordPaymentAttempt() => PaymentAttempts++;

    public void RecordStoreCreditPaid(Guid paymentId)
    {
        CheckRule(new OrderStatusTransitionMustBeAllowedRule(Status, OrderStatus.PaymentPending, sameStateAllowed: true));
        StoreCreditPaymentId = paymentId;
        Version++;
    }

    public void MarkPaid(Guid? paymentId, DateTimeOffset now)
    {
        MoveTo(OrderStatus.Paid);
        PaymentId = paymentId;
        PaidAt = now;
        ProtectedPaymentDetails = null;
        PaymentDeadline = null;
        Raise(new OrderPaidDomainEvent(this, now));
    }

    public void Cancel(string reason, DateTimeOffset now)
    {
        MoveTo(OrderStatus.Cancelled);
        CancelledAt = now;
        CancelReason = reason.Length > 200 ? reason[..200] : reason;
        ProtectedPaymentDetails = null;
        PaymentDeadline = null;
        Raise(new OrderCancelledDomainEvent(Id, Number, CustomerId, CancelReason, now));
    }

    public void MarkStockReleased(DateTimeOffset now)
    {
        StockReleasedAt ??= now;
        Version++;
    }

    public void MarkShipped(DateTimeOffset now)
    {
        MoveTo(OrderStatus.Shipped);
        ShippedAt = now;
        Raise(new OrderShippedDomainEvent(Id, Number, CustomerId, now));
    }

    public void MarkDelivered(DateTimeOffset now)
    {
        MoveTo(OrderStatus.Delivered);
        DeliveredAt = now;
        Raise(new OrderDeliveredDomainEvent(Id, Number, CustomerId, now));
    }

    public bool IsPastPaymentDeadline(DateTimeOffset now) => Status == OrderStatus.PaymentPending && PaymentDeadline is { } deadline && now >= deadline;

    private void MoveTo(OrderStatus next)
    {
        CheckRule(new OrderStatusTransitionMustBeAllowedRule(Status, next));
        Status = next;
        Version++;
    }
}

/// <summary>One line: the price and name are the ones Catalog had when the stock was reserved.</summary>
public sealed class OrderLine : Entity<Guid>
{
    private OrderLine()
    {
    }

    public Guid OrderId { get; private set; }

    public string Sku { get; private set; } = "";

    public string Name { get; private set; } = "";

    public decimal UnitPrice { get; private set; }

    public int Quantity { get; private set; }

    public decimal LineTotal => UnitPrice * Quantity;

    public static OrderLine Create(string sku, string name, decimal unitPrice, int quantity)
    {
        CheckRule(new OrderLineQuantityMustBeInRangeRule(quantity));
        CheckRule(new UnitPriceMustBeNonNegativeRule(unitPrice));
        return new OrderLine { Id = Guid.NewGuid(), Sku = sku.Trim().ToUpperInvariant(), Name = name, UnitPrice = unitPrice, Quantity = quantity };
    }

    internal OrderLine For(Guid orderId)
    {
        OrderId = orderId;
        return this;
    }
}

public sealed record OrderPlacedDomainEvent(Order Order, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record OrderPaidDomainEvent(Order Order, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record OrderCancelledDomainEvent(Guid OrderId, string Number, string CustomerId, string Reason, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record OrderShippedDomainEvent(Guid OrderId, string Number, string CustomerId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record OrderDeliveredDomainEvent(Guid OrderId, string Number, string CustomerId, DateTimeOffset OccurredAt) : IDomainEvent;
