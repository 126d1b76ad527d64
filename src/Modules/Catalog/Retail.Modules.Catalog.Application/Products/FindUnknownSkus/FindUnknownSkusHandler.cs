using System.Collections.Concurrent;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Domain.Products;

namespace Retail.Modules.Catalog.Application.Products.FindUnknownSkus;

public sealed class FindUnknownSkusValidator : AbstractValidator<IntegrationEvents.FindUnknownSkus>
{
    public const int MaxSkus = 200;

    public FindUnknownSkusValidator()
    {
        RuleFor(q => q.Skus).NotNull().Must(s => s is null || s.Count <= MaxSkus).WithMessage($"At most {MaxSkus} SKUs.");
    }
}

/// <summary>
/// SKUs this instance has seen as products. A product is never deleted and its SKU never changes, so "exists" stays
/// true for good and needs no invalidation; only found SKUs are remembered (a SKU created a moment later on another
/// instance is simply read again). Bounded: when full it starts over, which costs one read per SKU, never a wrong answer.
/// </summary>
public sealed class KnownSkus
{
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, byte> _skus = new(StringComparer.Ordinal);

    public bool Contains(string sku) => _skus.ContainsKey(sku);

    public void Add(string sku)
    {
        if (_skus.Count >= Capacity)
        {
            _skus.Clear();
        }

        _skus.TryAdd(sku, 0);
    }
}

/// <summary>
/// The checkout validator's "do these products exist?": answered from <see cref="KnownSkus"/> when it can, so a storm
/// of checkouts for one hot SKU reads the products table once, not once per attempt.
/// </summary>
public sealed class FindUnknownSkusHandler(ICatalogDbContext db, KnownSkus known) : IQueryHandler<IntegrationEvents.FindUnknownSkus, IReadOnlyList<string>>
{
    public async ValueTask<Result<IReadOnlyList<string>>> Handle(IntegrationEvents.FindUnknownSkus query, CancellationToken cancellationToken)
    {
        var skus = query.Skus.Select(Skus.Normalize).Distinct(StringComparer.Ordinal).ToList();
        var unsure = skus.Where(s => !known.Contains(s)).ToList();
        if (unsure.Count == 0)
        {
            return Result.Success<IReadOnlyList<string>>([]);
        }

        var found = await db.Products.AsNoTracking().Where(p => unsure.Contains(p.Sku)).Select(p => p.Sku).ToListAsync(cancellationToken);
        foreach (var sku in found)
        {
            known.Add(sku);
        }

        var foundSet = found.ToHashSet(StringComparer.Ordinal);
        return Result.Success<IReadOnlyList<string>>([.. unsure.Where(s => !foundSet.Contains(s))]);
    }
}
