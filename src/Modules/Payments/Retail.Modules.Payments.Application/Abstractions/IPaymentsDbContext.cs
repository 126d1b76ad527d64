using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.Domain.Refunds;
using Retail.Modules.Payments.Domain.StoreCredit;

namespace Retail.Modules.Payments.Application.Abstractions;

/// <summary>The Payments tables as its handlers see them.</summary>
public interface IPaymentsDbContext : IModuleDbContext
{
    DbSet<Payment> Payments { get; }

    DbSet<Refund> Refunds { get; }

    DbSet<StoreCreditAccount> StoreCreditAccounts { get; }

    DbSet<StoreCreditEntry> StoreCreditEntries { get; }

    /// <summary>
    /// Handlers that own their transactions (ADR 0004) read a row again after the provider answered; clearing the
    /// tracker makes that read see the database, not the copy loaded before the call.
    /// </summary>
    ChangeTracker ChangeTracker { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The Payments module's unit of work, for handlers that commit their own short transactions around a provider call
/// (the requests implement <c>IOwnsTransaction</c>, so the behavior does not wrap them).
/// </summary>
public interface IPaymentsUnitOfWork : IUnitOfWork;
