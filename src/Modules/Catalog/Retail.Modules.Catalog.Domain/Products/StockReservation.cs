using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Catalog.Domain.Products;

/// <summary>Stock held for one line of an order; released at most once (when the order is cancelled).</summary>
public sealed class StockReservation : Entity<Guid>
{
    private StockReservation()
    {
    }

    public Guid OrderId { get; private set; }

    public string Sku { get; private set; } = "";

    public int Quantity { get; private set; }

    public DateTimeOffset ReservedAt { get; private set; }

    public DateTimeOffset? ReleasedAt { get; private set; }

    public static StockReservation Hold(Guid orderId, string sku, int quantity, DateTimeOffset now)
    {
        CheckRule(new ReservedQuantityMustBePositiveRule(quantity));
        return new StockReservation { Id = Guid.NewGuid(), OrderId = orderId, Sku = sku, Quantity = quantity, ReservedAt = now };
    }
}

public sealed class ReservedQuantityMustBePositiveRule(int quantity) : IBusinessRule
{
    public bool IsBroken() => quantity <= 0;

    public string Message => "A reservation holds at least one unit.";
}
