namespace Retail.Modules.FlashSales.Domain.Sales;

/// <summary>
/// Units of one sale item claimed by one order, at the flash price locked at that moment. Released exactly once if the
/// order is cancelled (the units go back to the allocation and to the customer's cap); marked paid when the order is paid.
/// Open claims (neither paid nor released) are the "holds" the live panel shows.
/// </summary>
public sealed class FlashClaim
{
    private FlashClaim()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrderId { get; private set; }

    public Guid SaleId { get; private set; }

    public Guid ItemId { get; private set; }

    public string Sku { get; private set; } = "";

    public string CustomerId { get; private set; } = "";

    public int Quantity { get; private set; }

    public decimal UnitPrice { get; private set; }

    public DateTimeOffset ClaimedAt { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    public DateTimeOffset? ReleasedAt { get; private set; }

    public bool IsOpen => PaidAt is null && ReleasedAt is null;

    public static FlashClaim Create(Guid orderId, Guid saleId, Guid itemId, string sku, string customerId, int quantity, decimal unitPrice, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        OrderId = orderId,
        SaleId = saleId,
        ItemId = itemId,
        Sku = sku,
        CustomerId = customerId,
        Quantity = quantity,
        UnitPrice = unitPrice,
        ClaimedAt = now,
    };

    public void MarkPaid(DateTimeOffset now) => PaidAt ??= now;

    /// <summary>True the first time only: the caller gives the units back exactly once.</summary>
    public bool Release(DateTimeOffset now)
    {
        if (ReleasedAt is not null || PaidAt is not null)
        {
            return false;
        }

        ReleasedAt = now;
        return true;
    }
}

/// <summary>How many units of one sale item a customer holds (claimed and not released). Capped by the item's PerCustomerCap.</summary>
public sealed class FlashPurchase
{
    private FlashPurchase()
    {
    }

    public Guid Id { get; private set; }

    public Guid ItemId { get; private set; }

    public string CustomerId { get; private set; } = "";

    public int Quantity { get; private set; }

    public static FlashPurchase Start(Guid itemId, string customerId, int quantity) => new()
    {
        Id = Guid.NewGuid(),
        ItemId = itemId,
        CustomerId = customerId,
        Quantity = quantity,
    };
}
