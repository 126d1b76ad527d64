using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.Application.Products.ReserveStock;

public sealed class ReserveStockValidator : AbstractValidator<IntegrationEvents.ReserveStock>
{
    public ReserveStockValidator()
    {
        RuleFor(c => c.OrderId).NotEmpty();
        RuleFor(c => c.Lines).NotEmpty();
        RuleForEach(c => c.Lines).ChildRules(line =>
        {
            line.RuleFor(l => l.Sku).NotEmpty().MaximumLength(Skus.MaxLength);
            line.RuleFor(l => l.Quantity).InclusiveBetween(1, StockAdjustmentRules.MaxDelta);
        });
    }
}

/// <summary>
/// Holds stock for an order, all or nothing. Each line is one conditional UPDATE (<c>Stock = Stock - n WHERE Sku = s AND
/// Stock &gt;= n</c>) inside Catalog's unit-of-work transaction, so concurrent buyers can never oversell; one short line
/// fails the command and the unit of work rolls the other decrements back. A reservation row per line makes the command
/// idempotent per order and lets <see cref="ReleaseStock"/> put back exactly what was held.
/// </summary>
public sealed class ReserveStockHandler(ICatalogDbContext db, TimeProvider time) : ICommandHandler<IntegrationEvents.ReserveStock>
{
    public static Error OutOfStock(string sku) =>
        Error.Conflict("ordering.out_of_stock", UserMessages.OutOfStock) with { FieldErrors = new Dictionary<string, string[]> { [sku] = [UserMessages.OutOfStock] } };

    public async ValueTask<Result> Handle(IntegrationEvents.ReserveStock command, CancellationToken cancellationToken)
    {
        var orderId = command.OrderId;
        if (await db.StockReservations.AnyAsync(r => r.OrderId == orderId, cancellationToken))
        {
            return Result.Success();
        }

        // Same SKU twice counts once; a fixed order of updates keeps concurrent reservations from deadlocking.
        var lines = command.Lines
            .GroupBy(l => Skus.Normalize(l.Sku), StringComparer.Ordinal)
            .Select(g => (Sku: g.Key, Quantity: g.Sum(l => l.Quantity)))
            .OrderBy(l => l.Sku, StringComparer.Ordinal)
            .ToList();
        var now = time.GetUtcNow();
        var reason = $"order {orderId}";
        foreach (var (sku, quantity) in lines)
        {
            var changed = await db.Products
                .Where(p => p.Sku == sku && p.IsActive && p.Stock >= quantity)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock - quantity), cancellationToken);
            if (changed == 0)
            {
                return OutOfStock(sku);
            }

            var product = await db.Products.Where(p => p.Sku == sku).Select(p => new { p.Id, p.Stock }).SingleAsync(cancellationToken);
            db.StockReservations.Add(StockReservation.Hold(orderId, sku, quantity, now));
            db.StockMovements.Add(StockMovement.Record(product.Id, sku, -quantity, product.Stock, reason, "checkout", now));
            db.Publish(new StockChanged(Guid.NewGuid(), now, product.Id, sku, -quantity, product.Stock, reason));
        }

        return Result.Success();
    }
}
