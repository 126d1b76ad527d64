using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Catalog.Domain.Products;

/// <summary>Append-only audit of one stock change: who, when, how much, why, and the stock after it.</summary>
public sealed class StockMovement : Entity<Guid>
{
    private StockMovement()
    {
    }

    public Guid ProductId { get; private set; }

    public string Sku { get; private set; } = "";

    public int Delta { get; private set; }

    public int StockAfter { get; private set; }

    public string Reason { get; private set; } = "";

    public string Actor { get; private set; } = "";

    public DateTimeOffset OccurredAt { get; private set; }

    public static StockMovement Record(Guid productId, string sku, int delta, int stockAfter, string reason, string actor, DateTimeOffset now) =>
        new()
        {
            Id = Guid.NewGuid(),
            ProductId = productId,
            Sku = sku,
            Delta = delta,
            StockAfter = stockAfter,
            Reason = reason.Trim(),
            Actor = actor,
            OccurredAt = now,
        };
}
