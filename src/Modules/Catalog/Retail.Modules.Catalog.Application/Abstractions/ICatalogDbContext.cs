using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Catalog.Domain.Categories;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.Application.Abstractions;

/// <summary>The Catalog tables as its handlers see them.</summary>
public interface ICatalogDbContext : IModuleDbContext
{
    DbSet<Product> Products { get; }

    DbSet<Category> Categories { get; }

    DbSet<StockMovement> StockMovements { get; }

    DbSet<StockReservation> StockReservations { get; }

    /// <summary>Saves inside the command's transaction (a product edit learns here that someone else saved it first).</summary>
    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts new, untracked entities of one Catalog table with multi-row INSERT statements (a few per call instead of
    /// one per entity), inside the current transaction, on either provider. The entities stay untracked: their domain
    /// events are the caller's to publish or clear.
    /// </summary>
    Task InsertNewAsync<TEntity>(IReadOnlyList<TEntity> entities, CancellationToken cancellationToken)
        where TEntity : class;

    /// <summary>
    /// A writer of conditional stock changes for the handler's loop, opened and disposed inside one unit of work (its
    /// command lives no longer than the transaction's connection). Outside a transaction each change is EF's own UPDATE.
    /// </summary>
    IConditionalStockWriter OpenStockWriter();
}

/// <summary>Catalog's conditional stock write, for many products in one transaction.</summary>
public interface IConditionalStockWriter : IAsyncDisposable
{
    /// <summary>
    /// Sets a product's stock to <paramref name="stock"/> only if it is still <paramref name="expected"/> (one UPDATE);
    /// false when the stock had moved, or the product is gone.
    /// </summary>
    Task<bool> SetIfUnchangedAsync(Guid productId, int expected, int stock, CancellationToken cancellationToken);
}

/// <summary>
/// Remembers the result of each keyed partner batch inside the batch's own transaction, so a batch sent again after a
/// crash (Catalog committed, the caller's checkpoint did not) answers with its first result instead of recounting.
/// </summary>
public interface IPartnerBatchLedger
{
    /// <summary>The first result when this batch already committed; otherwise null, and the key is now taken.</summary>
    Task<PartnerUpsertResult?> BeginAsync(string partnerId, string batchKey, CancellationToken cancellationToken);

    /// <summary>Stores the batch's result with the batch (same unit of work).</summary>
    Task CompleteAsync(string partnerId, string batchKey, PartnerUpsertResult result, CancellationToken cancellationToken);
}
