namespace Retail.Modules.Returns.Domain.Purchases;

/// <summary>
/// Returns' own copy of what a customer bought (from Ordering's OrderPaid / OrderDelivered events): the eligibility
/// check never asks Ordering. <see cref="PurchasedLine.Taken"/> counts units returned or in an open return; it only
/// changes by one conditional UPDATE, so parallel requests cannot take more than was bought.
/// </summary>
public sealed class PurchasedOrder
{
    private readonly List<PurchasedLine> _lines = [];

    private PurchasedOrder()
    {
    }

    public Guid Id { get; private set; }

    public string Number { get; private set; } = "";

    public string CustomerId { get; private set; } = "";

    public string Currency { get; private set; } = "";

    public decimal Total { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    public IReadOnlyList<PurchasedLine> Lines => _lines;

    public static PurchasedOrder Paid(Guid orderId, string number, string customerId, string currency, decimal total, IEnumerable<(string Sku, string Name, decimal UnitPrice, int Quantity)> lines, DateTimeOffset paidAt)
    {
        var order = new PurchasedOrder { Id = orderId };
        order.RecordPaid(number, customerId, currency, total, lines, paidAt);
        return order;
    }

    public static PurchasedOrder DeliveredFirst(Guid orderId, string number, string customerId, DateTimeOffset deliveredAt) =>
        new() { Id = orderId, Number = number, CustomerId = customerId, DeliveredAt = deliveredAt };

    /// <summary>Fills the lines (once; events may come twice or out of order).</summary>
    public void RecordPaid(string number, string customerId, string currency, decimal total, IEnumerable<(string Sku, string Name, decimal UnitPrice, int Quantity)> lines, DateTimeOffset paidAt)
    {
        ArgumentNullException.ThrowIfNull(lines);
        Number = number;
        CustomerId = customerId;
        Currency = currency;
        Total = total;
        PaidAt ??= paidAt;
        if (_lines.Count == 0)
        {
            // Same SKU on two lines of one order is merged: eligibility is per SKU.
            foreach (var group in lines.GroupBy(l => l.Sku.Trim().ToUpperInvariant(), StringComparer.Ordinal))
            {
                var first = group.First();
                _lines.Add(PurchasedLine.Create(Id, group.Key, first.Name, first.UnitPrice, group.Sum(l => l.Quantity)));
            }
        }
    }

    public void RecordDelivered(DateTimeOffset deliveredAt) => DeliveredAt ??= deliveredAt;
}

public sealed class PurchasedLine
{
    private PurchasedLine()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrderId { get; private set; }

    public string Sku { get; private set; } = "";

    public string Name { get; private set; } = "";

    public decimal UnitPrice { get; private set; }

    public int Quantity { get; private set; }

    /// <summary>Returned or in an open return; never above <see cref="Quantity"/>.</summary>
    public int Taken { get; private set; }

    internal static PurchasedLine Create(Guid orderId, string sku, string name, decimal unitPrice, int quantity) =>
        new() { Id = Guid.NewGuid(), OrderId = orderId, Sku = sku, Name = name, UnitPrice = unitPrice, Quantity = quantity };
}
