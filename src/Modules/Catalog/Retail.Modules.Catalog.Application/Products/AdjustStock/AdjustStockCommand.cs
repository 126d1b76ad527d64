using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products.GetProduct;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.Application.Products.AdjustStock;

/// <summary>Adds (positive) or removes (negative) stock with a reason; returns the stock after the change.</summary>
[AuthorizeRoles(Roles.CatalogAdmin, Roles.Warehouse)]
public sealed record AdjustStockCommand(string Sku, int Delta, string Reason) : ICommand<int>;

public sealed class AdjustStockCommandValidator : AbstractValidator<AdjustStockCommand>
{
    public AdjustStockCommandValidator()
    {
        RuleFor(c => c.Sku).NotEmpty();
        RuleFor(c => c.Delta).Must(StockAdjustmentRules.IsValidDelta)
            .WithMessage($"Enter a non-zero change between -{StockAdjustmentRules.MaxDelta:N0} and {StockAdjustmentRules.MaxDelta:N0}.");
        RuleFor(c => c.Reason).NotEmpty().WithMessage("Say why the stock changes.").MaximumLength(200);
    }
}

public sealed class AdjustStockCommandHandler(ICatalogDbContext db, ICurrentUser user, TimeProvider time) : ICommandHandler<AdjustStockCommand, int>
{
    public static Error InsufficientStock(string sku) =>
        Error.Conflict("catalog.insufficient_stock", $"Stock of '{sku}' is too low for that change; stock never goes below zero.");

    public static Error StockLimit(string sku) =>
        Error.Conflict("catalog.stock_limit", $"Stock of '{sku}' cannot go above {StockAdjustmentRules.MaxStock:N0}.");

    public async ValueTask<Result<int>> Handle(AdjustStockCommand command, CancellationToken cancellationToken)
    {
        var sku = Skus.Normalize(command.Sku);
        var productId = await db.Products.Where(p => p.Sku == sku).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken);
        if (productId is not { } id)
        {
            return GetProductQueryHandler.NotFound(command.Sku);
        }

        // One conditional UPDATE decides: concurrent adjustments and purchases can never drive stock negative, nor past
        // what the int column holds. The bounds are compared with Stock itself, not with Stock + delta: SQLite would store
        // a sum past int.MaxValue that no read of the product can convert back (a 500 on every page showing it), and SQL
        // Server would fail the statement with an arithmetic overflow.
        var delta = command.Delta;
        var floor = -delta;
        var ceiling = delta > 0 ? StockAdjustmentRules.MaxStock - delta : StockAdjustmentRules.MaxStock;
        var changed = await db.Products
            .Where(p => p.Id == id && p.Stock >= floor && p.Stock <= ceiling)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock + delta), cancellationToken);
        if (changed == 0)
        {
            return delta > 0 ? StockLimit(sku) : InsufficientStock(sku);
        }

        var stockAfter = await db.Products.Where(p => p.Id == id).Select(p => p.Stock).SingleAsync(cancellationToken);
        var now = time.GetUtcNow();
        db.StockMovements.Add(StockMovement.Record(id, sku, delta, stockAfter, command.Reason, user.UserName ?? "system", now));
        db.Publish(new StockChanged(Guid.NewGuid(), now, id, sku, delta, stockAfter, command.Reason.Trim()));
        return stockAfter;
    }
}
