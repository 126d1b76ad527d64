using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.Application.Products.ReleaseStock;

public sealed class ReleaseStockValidator : AbstractValidator<IntegrationEvents.ReleaseStock>
{
    public ReleaseStockValidator()
    {
        RuleFor(c => c.OrderId).NotEmpty();
        RuleFor(c => c.Reason).NotEmpty().MaximumLength(150);
    }
}

/// <summary>
/// Puts back the stock held for an order. Each reservation is claimed with a conditional UPDATE on its
/// <c>ReleasedAt</c> before the stock goes back, so two concurrent releases (a job and a request) return it once.
/// </summary>
public sealed class ReleaseStockHandler(ICatalogDbContext db, TimeProvider time) : ICommandHandler<IntegrationEvents.ReleaseStock>
{
    public async ValueTask<Result> Handle(IntegrationEvents.ReleaseStock command, CancellationToken cancellationToken)
    {
        var orderId = command.OrderId;
        var held = await db.StockReservations.AsNoTracking()
            .Where(r => r.OrderId == orderId && r.ReleasedAt == null)
            .Select(r => new { r.Id, r.Sku, r.Quantity })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var reason = $"order {orderId} released: {command.Reason.Trim()}";
        if (reason.Length > 200)
        {
            reason = reason[..200];
        }

        foreach (var reservation in held.OrderBy(r => r.Sku, StringComparer.Ordinal))
        {
            var claimed = await db.StockReservations
                .Where(r => r.Id == reservation.Id && r.ReleasedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ReleasedAt, now), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            var quantity = reservation.Quantity;
            var sku = reservation.Sku;
            await db.Products.Where(p => p.Sku == sku)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock + quantity), cancellationToken);
            var product = await db.Products.Where(p => p.Sku == sku).Select(p => new { p.Id, p.Stock }).SingleOrDefaultAsync(cancellationToken);
            if (product is null)
            {
                continue;
            }

            db.StockMovements.Add(StockMovement.Record(product.Id, sku, quantity, product.Stock, reason, "checkout", now));
            db.Publish(new StockChanged(Guid.NewGuid(), now, product.Id, sku, quantity, product.Stock, reason));
        }

        return Result.Success();
    }
}
