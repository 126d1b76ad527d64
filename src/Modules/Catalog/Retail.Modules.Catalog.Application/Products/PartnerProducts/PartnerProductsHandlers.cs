using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products.GetProduct;
using Retail.Modules.Catalog.Domain.Categories;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.Application.Products.PartnerProducts;

/// <summary>
/// The command's shape through FluentValidation; the rows (up to <see cref="UpsertPartnerProducts.MaxRows"/> per call, one
/// call per feed batch) through <see cref="PartnerRowValidator.IsValid"/>, a plain check that allocates nothing. Only a
/// row that fails it goes through <see cref="PartnerRowValidator"/>'s FluentValidation rules, for the same messages
/// under <c>Rows[i].Field</c> as before.
/// </summary>
public sealed class UpsertPartnerProductsValidator : AbstractValidator<UpsertPartnerProducts>
{
    private static readonly PartnerRowValidator RowValidator = new();

    public UpsertPartnerProductsValidator()
    {
        RuleFor(c => c.PartnerId).NotEmpty().MaximumLength(64);
        RuleFor(c => c.BatchKey).MaximumLength(100);
        RuleFor(c => c.Rows).NotEmpty().Must(r => r.Count <= UpsertPartnerProducts.MaxRows)
            .WithMessage($"At most {UpsertPartnerProducts.MaxRows} rows per call.");
        RuleFor(c => c.Rows).Custom(CheckRows).When(c => c.Rows is { Count: <= UpsertPartnerProducts.MaxRows });
    }

    private static void CheckRows(IReadOnlyList<PartnerProductRow> rows, ValidationContext<UpsertPartnerProducts> context)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row is null)
            {
                context.AddFailure(new ValidationFailure($"Rows[{i}]", "A row is missing."));
                continue;
            }

            if (PartnerRowValidator.IsValid(row))
            {
                continue;
            }

            foreach (var failure in RowValidator.Validate(row).Errors)
            {
                context.AddFailure(new ValidationFailure($"Rows[{i}].{failure.PropertyName}", failure.ErrorMessage, failure.AttemptedValue) { ErrorCode = failure.ErrorCode });
            }
        }
    }
}

/// <summary>The rules of one partner row: <see cref="IsValid"/> is the hot path, the FluentValidation rules explain a failure.</summary>
public sealed class PartnerRowValidator : AbstractValidator<PartnerProductRow>
{
    public const int MaxName = 200;
    public const int MaxDescription = 4000;
    public const int MaxBrand = 100;
    public const int MaxGtin = 14;

    public PartnerRowValidator()
    {
        RuleFor(r => r.Sku).Must(Skus.IsWellFormed);
        RuleFor(r => r.Name).NotEmpty().MaximumLength(MaxName);
        RuleFor(r => r.Description).MaximumLength(MaxDescription);
        RuleFor(r => r.Price).InclusiveBetween(0m, ProductInputValidation.MaxPrice);
        RuleFor(r => r.Stock).InclusiveBetween(0, StockAdjustmentRules.MaxDelta);
        RuleFor(r => r.Brand).MaximumLength(MaxBrand);
        RuleFor(r => r.Gtin).MaximumLength(MaxGtin);
        RuleFor(r => r.ImageUrl).Must(u => u is null || ImagesMustBeAbsoluteHttpUrlsRule.IsAllowed(u));
    }

    /// <summary>True when the row passes every rule above (the same rules, without FluentValidation's per-rule allocations).</summary>
    public static bool IsValid(PartnerProductRow row) =>
        Skus.IsWellFormed(row.Sku)
        && !string.IsNullOrWhiteSpace(row.Name) && row.Name.Length <= MaxName
        && (row.Description?.Length ?? 0) <= MaxDescription
        && row.Price is >= 0m and <= ProductInputValidation.MaxPrice
        && row.Stock is >= 0 and <= StockAdjustmentRules.MaxDelta
        && (row.Brand?.Length ?? 0) <= MaxBrand
        && (row.Gtin?.Length ?? 0) <= MaxGtin
        && (row.ImageUrl is null || ImagesMustBeAbsoluteHttpUrlsRule.IsAllowed(row.ImageUrl));
}

/// <summary>
/// One batch of a partner feed in one Catalog transaction (the unit of work). Existing products of the batch are read
/// with one untracked query and compared field by field: equal rows are left alone (no write, no tracking, no event),
/// so re-ingesting the same feed changes nothing. New products go in with a few multi-row INSERTs
/// (<see cref="ICatalogDbContext.InsertNewAsync"/>) instead of one tracked insert each; a product whose details changed
/// is attached and updated (only its changed columns are written). Stock of an existing product changes through one
/// conditional UPDATE with a stock movement, as every stock change in Catalog does. The batch leaves as one
/// <see cref="ProductBatchChanged"/> event (not one event per product), which keeps a large feed from flooding the
/// outbox and every subscriber's inbox. A SKU listed twice in one batch is refused the second time
/// (<c>duplicate_sku</c>); the feed job never sends that (it refuses repeated SKUs of a feed itself).
/// </summary>
public sealed class UpsertPartnerProductsHandler(ICatalogDbContext db, IPartnerBatchLedger ledger, TimeProvider time) : ICommandHandler<UpsertPartnerProducts, PartnerUpsertResult>
{
    public const string PartnerCategoryName = "Partner products";

    private static readonly string PartnerCategorySlug = Category.SlugOf(PartnerCategoryName);

    /// <summary>The category of each category name seen in this batch (a feed repeats a few names on every row).</summary>
    private readonly Dictionary<string, Category> _byName = new(StringComparer.Ordinal);

    public async ValueTask<Result<PartnerUpsertResult>> Handle(UpsertPartnerProducts command, CancellationToken cancellationToken)
    {
        var partnerId = command.PartnerId;
        if (command.BatchKey is { } batchKey && await ledger.BeginAsync(partnerId, batchKey, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var now = time.GetUtcNow();
        var rows = command.Rows;
        var bySlug = new Dictionary<string, Category>(StringComparer.Ordinal);
        foreach (var category in await db.Categories.AsNoTracking().ToListAsync(cancellationToken))
        {
            bySlug[category.Slug] = category;
        }

        var skus = new string[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            skus[i] = Skus.Normalize(rows[i].Sku);
        }

        var existing = new Dictionary<string, Product>(rows.Count, StringComparer.Ordinal);
        // One JSON array parameter (SQLite json_each, SQL Server OPENJSON) rather than EF 10's default of one parameter
        // per SKU: Microsoft.Data.Sqlite binds parameters by name with a linear search, quadratic in a 500-SKU list.
        foreach (var product in await db.Products.AsNoTracking().Where(p => EF.Parameter(skus).Contains(p.Sku)).ToListAsync(cancellationToken))
        {
            existing[product.Sku] = product;
        }

        int updated = 0, unchanged = 0;
        var seen = new HashSet<string>(rows.Count, StringComparer.Ordinal);
        var refused = new List<PartnerRowRefusal>();
        var created = new List<Product>();
        var changed = new List<Product>();
        var stockChanges = new List<ProductStockChange>();
        var movements = new List<StockMovement>();
        var reason = $"partner feed {partnerId}";
        await using var stocks = db.OpenStockWriter();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var sku = skus[i];
            if (!seen.Add(sku))
            {
                refused.Add(new PartnerRowRefusal(sku, "duplicate_sku", $"SKU '{sku}' appears more than once in this batch; only its first row was used."));
                continue;
            }

            var category = CategoryOf(row.Category, bySlug);
            IReadOnlyList<string> images = string.IsNullOrWhiteSpace(row.ImageUrl) ? [] : [row.ImageUrl.Trim()];
            var details = new ProductDetails(row.Name, row.Description ?? "", category.Id, row.Price, images, IsActive: true);
            if (!existing.TryGetValue(sku, out var product))
            {
                product = Product.CreateForPartner(details, sku, row.Stock, partnerId, row.Brand, row.Gtin, now);
                product.ClearDomainEvents(); // the batch event below announces it
                created.Add(product);
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
                // Read untracked; attached now, so the update writes only the columns that changed.
                db.Products.Attach(product);
                product.UpdateFromPartner(details, row.Brand, row.Gtin, now);
                changed.Add(product);
            }

            if (!sameStock)
            {
                var outcome = await TrySetStockAsync(db, stocks, product.Id, sku, row.Stock, reason, now, product.Stock, cancellationToken);
                if (outcome.Movement is { } movement)
                {
                    movements.Add(movement);
                    stockChanges.Add(new ProductStockChange(product.Id, sku, movement.Delta, movement.StockAfter, movement.Reason));
                }
            }

            updated++;
        }

        await db.InsertNewAsync(created, cancellationToken);
        await db.InsertNewAsync(movements, cancellationToken);
        var result = new PartnerUpsertResult(created.Count, updated, unchanged, refused);
        created.AddRange(changed);
        PublishBatch(db, created, stockChanges, bySlug.Values, now);
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

        var slugs = new Dictionary<Guid, string>();
        foreach (var category in categories)
        {
            slugs[category.Id] = category.Slug;
        }

        var stockAfter = new Dictionary<Guid, int>(stockChanges.Count);
        foreach (var change in stockChanges)
        {
            stockAfter[change.ProductId] = change.StockAfter;
        }

        var snapshots = new List<ProductSnapshot>(changed.Count);
        var published = new HashSet<Guid>(changed.Count);
        foreach (var product in changed)
        {
            if (!published.Add(product.Id))
            {
                continue;
            }

            product.ClearDomainEvents();
            snapshots.Add(new ProductSnapshot(product.Id, product.Sku, product.Name, slugs.GetValueOrDefault(product.CategoryId, ""), product.Price,
                stockAfter.GetValueOrDefault(product.Id, product.Stock), product.IsActive));
        }

        db.Publish(new ProductBatchChanged(Guid.NewGuid(), now, snapshots, stockChanges));
    }

    /// <summary>
    /// Sets absolute stock with one UPDATE conditional on the stock seen just before (the caller's value on the first
    /// attempt when it has one, else read) and records the movement in the context. Not settled when the stock moved
    /// under it three times in a row. Publishing the change is the caller's part.
    /// </summary>
    internal static async Task<StockSetOutcome> SetStockAsync(ICatalogDbContext db, IConditionalStockWriter stocks, Guid productId, string sku, int stock, string reason, DateTimeOffset now, int? knownBefore, CancellationToken cancellationToken)
    {
        var outcome = await TrySetStockAsync(db, stocks, productId, sku, stock, reason, now, knownBefore, cancellationToken);
        if (outcome.Movement is { } movement)
        {
            db.StockMovements.Add(movement);
        }

        return outcome;
    }

    /// <summary>As <see cref="SetStockAsync"/>, but the movement is returned for the caller to store (a batch inserts them together).</summary>
    private static async Task<StockSetOutcome> TrySetStockAsync(ICatalogDbContext db, IConditionalStockWriter stocks, Guid productId, string sku, int stock, string reason, DateTimeOffset now, int? knownBefore, CancellationToken cancellationToken)
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

            if (await stocks.SetIfUnchangedAsync(productId, before, stock, cancellationToken))
            {
                return new StockSetOutcome(Settled: true, StockMovement.Record(productId, sku, stock - before, stock, reason, "partner", now));
            }
        }

        return new StockSetOutcome(Settled: false, Movement: null);
    }

    private Category CategoryOf(string? name, Dictionary<string, Category> bySlug)
    {
        var key = name ?? "";
        if (_byName.TryGetValue(key, out var seen))
        {
            return seen;
        }

        if (!string.IsNullOrWhiteSpace(name) && bySlug.TryGetValue(Category.SlugOf(name), out var known))
        {
            return _byName[key] = known;
        }

        if (!bySlug.TryGetValue(PartnerCategorySlug, out var fallback))
        {
            fallback = Category.Create(PartnerCategoryName);
            db.Categories.Add(fallback);
            bySlug[PartnerCategorySlug] = fallback;
        }

        return _byName[key] = fallback;
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
            // By SKU alone, the partner checked on the rows found (why: SetPartnerProductStocksHandler).
            var products = (await db.Products.Where(p => chunk.Contains(p.Sku)).ToListAsync(cancellationToken))
                .Where(p => p.PartnerId == command.PartnerId && p.IsActive).ToList();
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

