using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.FlashSales.Domain.Sales;

namespace Retail.Modules.FlashSales.Application.Abstractions;

/// <summary>The FlashSales tables as its handlers see them.</summary>
public interface IFlashSalesDbContext : IModuleDbContext
{
    DbSet<FlashSale> Sales { get; }

    DbSet<FlashSaleItem> Items { get; }

    DbSet<FlashClaim> Claims { get; }

    DbSet<FlashPurchase> Purchases { get; }

    /// <summary>Saves inside the command's transaction (the first purchase row is inserted before the claim goes on).</summary>
    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>The module's unit of work, for handlers that commit their own transaction (to drop the cache after commit).</summary>
public interface IFlashSalesUnitOfWork : IUnitOfWork;

/// <summary>The per customer + SKU sliding window of SPEC A1 (Redis-backed when configured).</summary>
public interface IFlashRateLimiter
{
    ValueTask<FlashRateDecision> TryAcquireAsync(string customerId, string sku, CancellationToken cancellationToken);
}

public readonly record struct FlashRateDecision(bool Allowed, TimeSpan RetryAfter);
