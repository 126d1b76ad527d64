using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products.GetProduct;
using Retail.Modules.Catalog.Domain.Categories;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.Application.Products.PartnerProducts;

public sealed class UpsertPartnerProductsValidator : AbstractValidator<UpsertPartnerProducts>
{
    public UpsertPartnerProductsValidator()
    {
        RuleFor(c => c.PartnerId).NotEmpty().MaximumLength(64);
        RuleFor(c => c.BatchKey).MaximumLength(100);
        RuleFor(c => c.Rows).NotEmpty().Must(r => r.Count <= UpsertPartnerProducts.MaxRows)
            .WithMessage($"At most {UpsertPartnerProducts.MaxRows} rows per call.");
        RuleForEach(c => c.Rows).ChildRules(row =>
        {
            row.RuleFor(r => r.Sku).Must(Skus.IsWellFormed);
            row.RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
            row.RuleFor(r => r.Description).MaximumLength(4000);
            row.RuleFor(r => r.Price).InclusiveBetween(0m, ProductInputValidation.MaxPrice);
            row.RuleFor(r => r.Stock).InclusiveBetween(0, StockAdjustmentRules.MaxDelta);
            row.RuleFor(r => r.Brand).MaximumLength(100);
            row.RuleFor(r => r.Gtin).MaximumLength(14);
            row.RuleFor(r => r.ImageUrl).Must(u => u is null || ImagesMustBeAbsoluteHttpUrlsRule.IsAllowed(u));
        });
    }
}

/// <summary>
/// One batch of a partner feed in one Catalog transaction (the unit of work). Existing rows are compared field by field:
/// equal rows are left alone (no write, no event), so re-ingesting the same feed changes nothing. Stock of an existing
/// product changes through one conditional UPDATE with a stock movement, as every stock change in Catalog does. The
/// batch leaves as one <see cref="ProductBatchChanged"/> event (not one event per product), which keeps a large feed from
/// flooding the outbox and every subscriber's inbox.
/// </summary>
public sealed class UpsertPartnerProductsHandler(ICatalogDbContext db, IPartnerBatchLedger ledger, TimeProvider time) : ICommandHandler<UpsertPartnerProducts, PartnerUpsertResult>
{
    public const string PartnerCategoryName = "Partner products";

    public async ValueTask<Result<PartnerUpsertResult>> Handle(UpsertPartnerProducts command, CancellationToken cancellationToken)
    {
        var partnerId = command.PartnerId;
        if (command.BatchKey is { } batchKey && await ledger.BeginAsync(partnerId, batchKey, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var now = time.GetUtcNow();
        var categories = await db.Categories.ToListAsync(cancellationToken);
        var bySlug = categories.ToDictionary(c => c.Slug, StringComparer.Ordinal);
        var skus = command.Rows.Select(r => Skus.Normalize(r.Sku)).Distinct(StringComparer.Ordinal).ToList();
        var existing = await db.Products.Where(p => skus.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, StringComparer.Ordinal, cancellationToken);

        int created = 0, updated = 0, unchanged = 0;
        var refused = new List<PartnerRowRefusal>();
        var changed = new List<Product>();
        var stockChanges = new List<ProductStockChange>();
        foreach (var row in command.Rows)
        {
            var sku = Skus.Normalize(row.Sku);
            var category = CategoryOf(row.Category, bySlug);
            IReadOnlyList<string> images = string.IsNullOrWhiteSpace(row.ImageUrl) ? [] : [row.ImageUrl.Trim()];
            var details = new ProductDetails(row.Name, row.Description ?? "", category.Id, row.Price, images, IsActive: true);
            if (!existing.TryGetValue(sku, out var product))
            {
                product = Product.CreateForPartner(details, sku, row.Stock, partnerId, row.Brand, row.Gtin, now);
                db.Products.Add(product);
                existing[sku] = product;
                changed.Add(product);
                created++;
                continue;
            }

            if (!string.Equals(product.PartnerId, partnerId, StringComparison.Ordinal))
            {
                refused.Add(new PartnerRowRefusal(sku, "sku_owned_elsewhere", $"SKU '{sku}' belongs to another seller and cannot be changed by this feed."));
                continue;
            }

            var sameDetails = product.HasSamePartnerDetails(details, row.Brand, row.Gtin);
            var sameStock = product.Stock == row.Stock;
            if (sameDetails && sameStock)
            {
                unchanged++;
                continue;
            }

            if (!sameDetails)
            {
                product.UpdateFromPartner(details, row.Brand, row.Gtin, now);
                changed.Add(product);
            }

            if (!sameStock)
            {
                var outcome = await SetStockAsync(db, product.Id, sku, row.Stock, $"partner feed {partnerId}", now, product.Stock, cancellationToken);
                if (outcome.Movement is { } movement)
                {
                    stockChanges.Add(new ProductStockChange(product.Id, sku, movement.Delta, movement.StockAfter, movement.Reason));
                }
            }

            updated++;
        }

        PublishBatch(db, changed, stockChanges, categories, now);
        var result = new PartnerUpsertResult(created, updated, unchanged, refused);
        if (command.BatchKey is { } key)
        {
            await ledger.CompleteAsync(partnerId, key, result, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Replaces the products' own <see cref="ProductUpsertedDomainEvent"/>s by one <see cref="ProductBatchChanged"/> for
    /// the whole batch (published in the same transaction through the outbox). A product's snapshot carries its stock
    /// after the batch's own stock change.
    /// </summary>
    internal static void PublishBatch(ICatalogDbContext db, IReadOnlyCollection<Product> changed, IReadOnlyList<ProductStockChange> stockChanges, IEnumerable<Category> categories, DateTimeOffset now)
    {
        if (changed.Count == 0 && stockChanges.Count == 0)
        {
            return;
        }

        var slugs = categories.ToDictionary(c => c.Id, c => c.Slug);
        var stockAfter = stockChanges.ToDictionary(c => c.ProductId, c => c.StockAfter);
        var snapshots = new List<ProductSnapshot>(changed.Count);
        foreach (var product in changed.Distinct())
        {
            product.ClearDomainEvents();
            snapshots.Add(new ProductSnapshot(product.Id, product.Sku, product.Name, slugs.GetValueOrDefault(product.CategoryId, ""), product.Price,
                stockAfter.GetValueOrDefault(product.Id, product.Stock), product.IsActive));
        }

        db.Publish(new ProductBatchChanged(Guid.NewGuid(), now, snapshots, stockChanges));
    }

    /// <summary>
    /// Sets absolute stock with one UPDATE conditional on the stock seen just before (the caller's value on the first
    /// attempt when it has one, else read) and records the movement. Not settled when the stock moved under it three times
    /// in a row. Publishing the change is the caller's part.
    /// </summary>
    internal static async Task<StockSetOutcome> SetStockAsync(ICatalogDbContext db, Guid productId, string sku, int stock, string reason, DateTimeOffset now, int? knownBefore, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var before = attempt == 0 && knownBefore is { } known
                ? known
                : await db.Products.Where(p => p.Id == productId).Select(p => p.Stock).SingleAsync(cancellationToken);
            if (before == stock)
            {
                return new StockSetOutcome(Settled: true, Movement: null);
            }

            var changed = await db.Products
                .Where(p => p.Id == productId && p.Stock == before)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, stock), cancellationToken);
            if (changed == 1)
            {
                var movement = StockMovement.Record(productId, sku, stock - before, stock, reason, "partner", now);
                db.StockMovements.Add(movement);
                return new StockSetOutcome(Settled: true, movement);
            }
        }

        return new StockSetOutcome(Settled: false, Movement: null);
    }

    private Category CategoryOf(string? name, Dictionary<string, Category> bySlug)
    {
        if (!string.IsNullOrWhiteSpace(name) && bySlug.TryGetValue(Category.SlugOf(name), out var known))
        {
            return known;
        }

        var slug = Category.SlugOf(PartnerCategoryName);
        if (!bySlug.TryGetValue(slug, out var fallback))
        {
            fallback = Category.Create(PartnerCategoryName);
            db.Categories.Add(fallback);
            bySlug[slug] = fallback;
        }

        return fallback;
    }
}

/// <summary>Whether the stock now has the requested value, and the movement when this call changed it.</summary>
internal readonly record struct StockSetOutcome(bool Settled, StockMovement? Movement);

public sealed class GetActivePartnerSkusHandler(ICatalogDbContext db) : IQueryHandler<GetActivePartnerSkus, IReadOnlyList<string>>
{
    public async ValueTask<Result<IReadOnlyList<string>>> Handle(GetActivePartnerSkus query, CancellationToken cancellationToken) =>
        Result.Success<IReadOnlyList<string>>(
            await db.Products.AsNoTracking().Where(p => p.PartnerId == query.PartnerId && p.IsActive).Select(p => p.Sku).ToListAsync(cancellationToken));
}

public sealed class DeactivatePartnerProductsHandler(ICatalogDbContext db, TimeProvider time) : ICommandHandler<DeactivatePartnerProducts, int>
{
    public async ValueTask<Result<int>> Handle(DeactivatePartnerProducts command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var count = 0;
        List<Category>? categories = null;
        foreach (var chunk in command.Skus.Select(Skus.Normalize).Distinct(StringComparer.Ordinal).Chunk(UpsertPartnerProducts.MaxRows))
        {
            var products = await db.Products.Where(p => chunk.Contains(p.Sku) && p.PartnerId == command.PartnerId && p.IsActive).ToListAsync(cancellationToken);
            if (products.Count == 0)
            {
                continue;
            }

            foreach (var product in products)
            {
                product.Deactivate(now);
                count++;
            }

            // The snapshots need the category slugs; one event per chunk.
            categories ??= await db.Categories.AsNoTracking().ToListAsync(cancellationToken);
            UpsertPartnerProductsHandler.PublishBatch(db, products, [], categories, now);
        }

        return count;
    }
}

public sealed class SetPartnerProductStockValidator : AbstractValidator<SetPartnerProductStock>
{
    public SetPartnerProductStockValidator()
    {
        RuleFor(c => c.PartnerId).NotEmpty();
        RuleFor(c => c.Sku).NotEmpty().MaximumLength(Skus.MaxLength);
        RuleFor(c => c.Stock).InclusiveBetween(0, StockAdjustmentRules.MaxDelta);
        RuleFor(c => c.Reason).NotEmpty().MaximumLength(200);
    }
}

public sealed class SetPartnerProductStockHandler(ICatalogDbContext db, TimeProvider time) : ICommandHandler<SetPartnerProductStock, int>
{
    public async ValueTask<Result<int>> Handle(SetPartnerProductStock command, CancellationToken cancellationToken)
    {
        var sku = Skus.Normalize(command.Sku);
        var id = await db.Products.Where(p => p.Sku == sku && p.PartnerId == command.PartnerId).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken);
        if (id is not { } productId)
        {
            return GetProductQueryHandler.NotFound(sku);
        }

        var now = time.GetUtcNow();
        var outcome = await UpsertPartnerProductsHandler.SetStockAsync(db, productId, sku, command.Stock, command.Reason, now, knownBefore: null, cancellationToken);
        if (outcome.Settled)
        {
            if (outcome.Movement is { } movement)
            {
                db.Publish(new StockChanged(Guid.NewGuid(), now, productId, sku, movement.Delta, movement.StockAfter, movement.Reason));
            }

            return command.Stock;
        }

        return Error.Conflict("catalog.stock_contended", "The stock changed concurrently too often; try again.");
    }
}
