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
}

/// <summary>
/// Remembers the result of each keyed partner batch inside the batch's own transaction, so a batch sent again after a
/// crash (Catalog committed, the caller's checkpoint did not) answers with its first result instead of recounting.
/// </summary>
public interface IPartnerBatchLedger
{
    Task<PartnerUpsertResult?> FindAsync(string partnerId, string batchKey, CancellationToken cancellationToken);

    /// <summary>Adds the record to the current unit of work (saved with the batch).</summary>
    void Record(string partnerId, string batchKey, PartnerUpsertResult result);
}
