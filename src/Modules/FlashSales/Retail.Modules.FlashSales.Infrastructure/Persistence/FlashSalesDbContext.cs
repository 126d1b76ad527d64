using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Domain;
using Retail.BuildingBlocks.Infrastructure.Features;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.FlashSales.Application;
using Retail.Modules.FlashSales.Application.Abstractions;
using Retail.Modules.FlashSales.Domain.Sales;
using Retail.Modules.FlashSales.IntegrationEvents;

namespace Retail.Modules.FlashSales.Infrastructure.Persistence;

internal class FlashSalesDbContext(DbContextOptions options) : ModuleDbContext(options, FlashSalesModule.Name), IFlashSalesDbContext
{
    public DbSet<FlashSale> Sales => Set<FlashSale>();

    public DbSet<FlashSaleItem> Items => Set<FlashSaleItem>();

    public DbSet<FlashClaim> Claims => Set<FlashClaim>();

    public DbSet<FlashPurchase> Purchases => Set<FlashPurchase>();

    protected override void ConfigureModule(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FlashSale>(b =>
        {
            b.ToTable("Sales");
            b.HasKey(s => s.Id);
            b.Property(s => s.Name).HasMaxLength(FlashSale.MaxNameLength);
            b.Property(s => s.Version).IsConcurrencyToken();
            b.HasMany(s => s.Items).WithOne().HasForeignKey(i => i.SaleId).OnDelete(DeleteBehavior.Cascade);
            b.Navigation(s => s.Items).HasField("_items").UsePropertyAccessMode(PropertyAccessMode.Field);
            b.HasIndex(s => new { s.EndsAt, s.StartsAt });
            b.Ignore(s => s.DomainEvents);
        });
        modelBuilder.Entity<FlashSaleItem>(b =>
        {
            b.ToTable("SaleItems");
            b.HasKey(i => i.Id);
            // The domain sets the id: a product added to a stored sale is found through the sale's items, and with a
            // "generated" key EF took it for an existing row, updated nothing and failed the save as a concurrency conflict.
            b.Property(i => i.Id).ValueGeneratedNever();
            b.Property(i => i.Sku).HasMaxLength(40);
            b.Property(i => i.ProductName).HasMaxLength(200);
            b.HasIndex(i => new { i.SaleId, i.Sku }).IsUnique();
            b.HasIndex(i => i.Sku);
            b.Ignore(i => i.Remaining);
            b.Ignore(i => i.PriceRule);
            b.Ignore(i => i.FlashPriceNow);
        });
        modelBuilder.Entity<FlashClaim>(b =>
        {
            b.ToTable("Claims");
            b.HasKey(c => c.Id);
            b.Property(c => c.Sku).HasMaxLength(40);
            b.Property(c => c.CustomerId).HasMaxLength(64);
            // One claim per order line: a concurrent second claim of the same order fails instead of claiming twice.
            b.HasIndex(c => new { c.OrderId, c.ItemId }).IsUnique();
            b.HasIndex(c => new { c.SaleId, c.PaidAt, c.ReleasedAt });
            b.Ignore(c => c.IsOpen);
        });
        modelBuilder.Entity<FlashPurchase>(b =>
        {
            b.ToTable("Purchases");
            b.HasKey(p => p.Id);
            b.Property(p => p.CustomerId).HasMaxLength(64);
            b.HasIndex(p => new { p.ItemId, p.CustomerId }).IsUnique();
        });
        modelBuilder.AddFeatureSwitches();
    }

    protected override IIntegrationEvent? ToIntegrationEvent(IDomainEvent domainEvent) => domainEvent switch
    {
        FlashSaleChangedDomainEvent e => new FlashSaleChanged(Guid.NewGuid(), e.OccurredAt, e.SaleId),
        _ => null,
    };
}

/// <summary>SQLite flavour: exists so SQLite keeps its own migrations (Migrations/Sqlite).</summary>
internal sealed class FlashSalesSqliteDbContext(DbContextOptions<FlashSalesSqliteDbContext> options) : FlashSalesDbContext(options);

/// <summary>SQL Server flavour: exists so SQL Server keeps its own migrations (Migrations/SqlServer).</summary>
internal sealed class FlashSalesSqlServerDbContext(DbContextOptions<FlashSalesSqlServerDbContext> options) : FlashSalesDbContext(options);

internal sealed class FlashSalesSqliteDesignTimeFactory() : SqliteDesignTimeFactory<FlashSalesSqliteDbContext>(FlashSalesModule.Name, o => new(o));

internal sealed class FlashSalesSqlServerDesignTimeFactory() : SqlServerDesignTimeFactory<FlashSalesSqlServerDbContext>(FlashSalesModule.Name, o => new(o));

/// <summary>The platform's unit of work over the FlashSales context, under a type handlers can ask for without a key.</summary>
internal sealed class FlashSalesUnitOfWork([FromKeyedServices(FlashSalesModule.Name)] IUnitOfWork inner) : IFlashSalesUnitOfWork
{
    public Task<TResult> ExecuteAsync<TResult>(Func<Task<TResult>> operation, Func<TResult, bool> shouldCommit, CancellationToken cancellationToken) =>
        inner.ExecuteAsync(operation, shouldCommit, cancellationToken);
}
