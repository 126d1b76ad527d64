using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
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
/// <c>ReleasedAt</c> before the stock goes back, so two concurrent releases (a job and a request) return it once. Stock
/// goes back up to <see cref="StockAdjustmentRules.MaxStock"/> and no further (why: <see cref="StockPutBack"/>): a
/// refused release would leave the order asking for it forever.
/// </summary>
public sealed partial class ReleaseStockHandler(ICatalogDbContext db, TimeProvider time, ILogger<ReleaseStockHandler> logger) : ICommandHandler<IntegrationEvents.ReleaseStock>
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

            var sku = reservation.Sku;
            if (await StockPutBack.AddUpToCeilingAsync(db, sku, reservation.Quantity, cancellationToken) is not { } put)
            {
                continue;
            }

            if (put.Added < reservation.Quantity)
            {
                LogReleaseCapped(logger, orderId, sku, reservation.Quantity - put.Added, StockAdjustmentRules.MaxStock);
            }

            if (put.Added == 0)
            {
                continue;
            }

            db.StockMovements.Add(StockMovement.Record(put.ProductId, sku, put.Added, put.StockAfter, reason, "checkout", now));
            db.Publish(new StockChanged(Guid.NewGuid(), now, put.ProductId, sku, put.Added, put.StockAfter, reason));
        }

        return Result.Success();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} released: {Dropped} units of SKU {Sku} not put back, its stock is at the most it can hold ({MaxStock})")]
    private static partial void LogReleaseCapped(ILogger logger, Guid orderId, string sku, int dropped, int maxStock);
}
