using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Returns.Domain.Purchases;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.Application.Abstractions;

/// <summary>The Returns tables as its handlers see them.</summary>
public interface IReturnsDbContext : IModuleDbContext
{
    DbSet<Return> Returns { get; }

    DbSet<ReturnAuditEntry> AuditEntries { get; }

    DbSet<ReturnPhoto> Photos { get; }

    DbSet<PurchasedOrder> PurchasedOrders { get; }

    DbSet<PurchasedLine> PurchasedLines { get; }

    ChangeTracker ChangeTracker { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>The module's unit of work, for handlers that commit their own short transactions around calls to other modules.</summary>
public interface IReturnsUnitOfWork : IUnitOfWork;

/// <summary>Photo bytes, stored outside the web root; only handlers that checked access read them.</summary>
public interface IReturnPhotoStore
{
    Task SaveAsync(Guid returnId, Guid photoId, string extension, byte[] content, CancellationToken cancellationToken);

    Task<byte[]?> ReadAsync(Guid returnId, Guid photoId, string extension, CancellationToken cancellationToken);
}

/// <summary>Random numbers for return codes (injected so tests can force collisions).</summary>
public interface IReturnCodeRandom
{
    int Next(int maxExclusive);
}
