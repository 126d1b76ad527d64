using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products.GetProduct;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.Application.Products.PartnerProducts;

public sealed class SetPartnerProductStocksValidator : AbstractValidator<SetPartnerProductStocks>
{
    public SetPartnerProductStocksValidator()
    {
        RuleFor(c => c.PartnerId).NotEmpty().MaximumLength(64);
        RuleFor(c => c.Items).NotEmpty().Must(i => i.Count <= SetPartnerProductStocks.MaxItems)
            .WithMessage($"At most {SetPartnerProductStocks.MaxItems} settings per call.");
        RuleForEach(c => c.Items).ChildRules(item =>
        {
            item.RuleFor(i => i.Sku).NotEmpty().MaximumLength(Skus.MaxLength);
            item.RuleFor(i => i.Stock).InclusiveBetween(0, StockAdjustmentRules.MaxDelta);
            item.RuleFor(i => i.Reason).NotEmpty().MaximumLength(200);
        });
    }
}

/// <summary>
/// Stock webhooks in batches: one query finds the partner's products, then each setting goes through the conditional
/// UPDATE and stock movement every Catalog stock change uses (<see cref="UpsertPartnerProductsHandler.SetStockAsync"/>),
/// all in the one transaction of the unit of work; the movements leave as one <see cref="ProductBatchChanged"/> (stock
/// changes only) instead of one event each.
/// </summary>
public sealed class SetPartnerProductStocksHandler(ICatalogDbContext db, TimeProvider time) : ICommandHandler<SetPartnerProductStocks, IReadOnlyList<PartnerStockResult>>
{
    private static readonly Error StockContended = Error.Conflict("catalog.stock_contended", "The stock changed concurrently too often; try again.");

    public async ValueTask<Result<IReadOnlyList<PartnerStockResult>>> Handle(SetPartnerProductStocks command, CancellationToken cancellationToken)
    {
        var skus = command.Items.Select(i => Skus.Normalize(i.Sku)).Distinct(StringComparer.Ordinal).ToList();
        // Stock as last seen in this transaction: the first conditional UPDATE of a SKU needs no extra read. The query is by
        // SKU alone (the unique index) and the partner is checked on the rows found: given "PartnerId = @p AND Sku IN (...)"
        // SQLite, which has no statistics here, picks the PartnerId index and reads every product of the partner - 1.4
        // million rows per webhook batch after a million-row feed.
        var products = (await db.Products.Where(p => skus.Contains(p.Sku)).Select(p => new { p.Id, p.Sku, p.PartnerId, p.Stock }).ToListAsync(cancellationToken))
            .Where(p => p.PartnerId == command.PartnerId)
            .ToDictionary(p => p.Sku, p => (p.Id, Stock: (int?)p.Stock), StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var results = new List<PartnerStockResult>(command.Items.Count);
        var changes = new List<ProductStockChange>();
        await using var stocks = db.OpenStockWriter();
        foreach (var item in command.Items)
        {
            var sku = Skus.Normalize(item.Sku);
            if (!products.TryGetValue(sku, out var product))
            {
                var notFound = GetProductQueryHandler.NotFound(sku);
                results.Add(new PartnerStockResult(sku, null, notFound.Code, notFound.Message));
                continue;
            }

            var outcome = await UpsertPartnerProductsHandler.SetStockAsync(db, stocks, product.Id, sku, item.Stock, item.Reason, now, product.Stock, cancellationToken);
            if (!outcome.Settled)
            {
                products[sku] = (product.Id, null); // moved under us: read it again next time
                results.Add(new PartnerStockResult(sku, null, StockContended.Code, StockContended.Message));
                continue;
            }

            products[sku] = (product.Id, item.Stock);
            if (outcome.Movement is { } movement)
            {
                changes.Add(new ProductStockChange(product.Id, sku, movement.Delta, movement.StockAfter, movement.Reason));
            }

            results.Add(new PartnerStockResult(sku, item.Stock, null, null));
        }

        if (changes.Count > 0)
        {
            db.Publish(new ProductBatchChanged(Guid.NewGuid(), now, [], changes));
        }

        return results;
    }
}
