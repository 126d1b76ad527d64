using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Concurrency;
using Retail.Modules.FlashSales.Application.Abstractions;

namespace Retail.Modules.FlashSales.Application.Checkout;

/// <summary>A live flash item as the database has it: units left and the per-customer cap.</summary>
public sealed record LiveFlashItem(string Sku, Guid ItemId, Guid SaleId, int Remaining, int PerCustomerCap);

/// <summary>
/// The precheck's read of the live items of a set of SKUs, shared by the attempts that wait for it (see
/// <see cref="BatchedReads{TKey,TValue}"/>): every attempt still gets a read that began after it arrived, but a storm
/// costs one read at a time (for all the SKU sets asked meanwhile) instead of one per attempt. Each read uses its own
/// scope (it serves many requests) and the items come in sale start order, as the claim takes them.
/// </summary>
public sealed class LiveFlashItemReads
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly BatchedReads<string, IReadOnlyList<LiveFlashItem>> _reads;

    public LiveFlashItemReads(IServiceScopeFactory scopes, TimeProvider time)
    {
        _scopes = scopes;
        _time = time;
        _reads = new BatchedReads<string, IReadOnlyList<LiveFlashItem>>(LoadAsync);
    }

    /// <summary>How many reads the database has served (for tests: a storm shares them).</summary>
    public long ReadsStarted => _reads.ReadsStarted;

    /// <param name="skus">Normalized SKUs, in SKU order (the key of the shared read).</param>
    public async Task<IReadOnlyList<LiveFlashItem>> ReadAsync(IReadOnlyList<string> skus, CancellationToken cancellationToken) =>
        await _reads.ReadAsync(string.Join('\n', skus), cancellationToken) ?? [];

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<LiveFlashItem>>> LoadAsync(IReadOnlyList<string> skuSets, CancellationToken cancellationToken)
    {
        var sets = skuSets.ToDictionary(k => k, k => k.Split('\n'), StringComparer.Ordinal);
        var skus = sets.Values.SelectMany(s => s).Distinct(StringComparer.Ordinal).ToList();
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IFlashSalesDbContext>();
        var now = _time.GetUtcNow();
        var live = await (from i in db.Items.AsNoTracking()
                          join s in db.Sales.AsNoTracking() on i.SaleId equals s.Id
                          where skus.Contains(i.Sku) && s.StartsAt <= now && s.EndsAt > now
                          orderby s.StartsAt
                          select new LiveFlashItem(i.Sku, i.Id, i.SaleId, i.Allocation - i.Sold, i.PerCustomerCap)).ToListAsync(cancellationToken);
        return sets.ToDictionary(
            set => set.Key,
            set => (IReadOnlyList<LiveFlashItem>)[.. live.Where(i => set.Value.Contains(i.Sku, StringComparer.Ordinal))],
            StringComparer.Ordinal);
    }
}
