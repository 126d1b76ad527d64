using Microsoft.EntityFrameworkCore;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Domain.Products;

namespace Retail.Modules.Catalog.Application.Products;

/// <summary>What putting units back did: how many were added (at most those asked for) and the stock after.</summary>
internal readonly record struct StockPutBackOutcome(Guid ProductId, int Added, int StockAfter);

/// <summary>
/// Puts units back on a product's stock that come from elsewhere rather than from a request someone can change: a released
/// reservation, a returned item. Such an increase is not refused at <see cref="StockAdjustmentRules.MaxStock"/> (as an
/// admin's adjustment is) but stops there: the event or release that carries it must complete — refusing it would have
/// the outbox retry it until it is dead-lettered, or Ordering ask for the release forever — and a shop counting two
/// billion units of one product loses nothing real by not counting more. The caller logs the units left out. Past the
/// ceiling SQLite would store a stock no read can convert back to an int (a 500 on every page showing the product), and
/// SQL Server would fail the statement.
/// </summary>
internal static class StockPutBack
{
    /// <summary>Null when the product does not exist. Throws when the stock kept moving under three attempts in a row.</summary>
    public static async Task<StockPutBackOutcome?> AddUpToCeilingAsync(ICatalogDbContext db, string sku, int quantity, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        // Compared with Stock itself, never with Stock + quantity (the sum is what must not be computed past the ceiling).
        var ceiling = StockAdjustmentRules.MaxStock - quantity;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var added = await db.Products.Where(p => p.Sku == sku && p.Stock <= ceiling)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock + quantity), cancellationToken);
            var product = await db.Products.AsNoTracking().Where(p => p.Sku == sku).Select(p => new { p.Id, p.Stock }).SingleOrDefaultAsync(cancellationToken);
            if (product is null)
            {
                return null;
            }

            if (added == 1)
            {
                return new StockPutBackOutcome(product.Id, quantity, product.Stock);
            }

            if (product.Stock <= ceiling)
            {
                continue; // sold down in between: the whole quantity fits now
            }

            // Conditional on the stock just read, so a concurrent change is never overwritten.
            var capped = await db.Products.Where(p => p.Id == product.Id && p.Stock == product.Stock)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, StockAdjustmentRules.MaxStock), cancellationToken);
            if (capped == 1)
            {
                return new StockPutBackOutcome(product.Id, StockAdjustmentRules.MaxStock - product.Stock, StockAdjustmentRules.MaxStock);
            }
        }

        throw new InvalidOperationException($"The stock of '{sku}' changed concurrently too often to put {quantity} units back.");
    }
}
