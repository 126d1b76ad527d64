using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Domain;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Catalog.Application;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Domain.Categories;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.Infrastructure.Persistence;

internal class CatalogDbContext(DbContextOptions options) : ModuleDbContext(options, CatalogModule.Name), ICatalogDbContext
{
    /// <summary>
    /// EF's default comparer for a primitive collection builds and compiles a new element comparer on every comparison
    /// (dotnet/efcore#35239), so DetectChanges over a 500-product feed batch spent most of its time compiling delegates.
    /// </summary>
    private static readonly ValueComparer<IReadOnlyList<string>> ImageUrlsComparer = new(
        (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
        list => list.Aggregate(0, (hash, url) => HashCode.Combine(hash, url.GetHashCode(StringComparison.Ordinal))),
        list => list.ToList());

    public DbSet<Product> Products => Set<Product>();

    public DbSet<Category> Categories => Set<Category>();

    public DbSet<StockMovement> StockMovements => Set<StockMovement>();

    public DbSet<StockReservation> StockReservations => Set<StockReservation>();

    public Task InsertNewAsync<TEntity>(IReadOnlyList<TEntity> entities, CancellationToken cancellationToken)
        where TEntity : class =>
        MultiRowInsert.InsertAsync(this, entities, cancellationToken);

    public IConditionalStockWriter OpenStockWriter() =>
        Database.CurrentTransaction?.GetDbTransaction() is { } transaction ? new PreparedStockWriter(this, transaction) : new EfStockWriter(this);

    protected override void ConfigureModule(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Product>(b =>
        {
            b.ToTable("Products");
            b.HasKey(p => p.Id);
            b.Property(p => p.Sku).HasMaxLength(Skus.MaxLength);
            b.HasIndex(p => p.Sku).IsUnique();
            b.Property(p => p.Name).HasMaxLength(200);
            b.Property(p => p.Description).HasMaxLength(4000);
            b.PrimitiveCollection(p => p.ImageUrls).HasField("_imageUrls").UsePropertyAccessMode(PropertyAccessMode.Field)
                .Metadata.SetValueComparer(ImageUrlsComparer);
            b.HasIndex(p => new { p.CategoryId, p.IsActive, p.Name });
            b.HasIndex(p => p.Name);
            b.Property(p => p.PartnerId).HasMaxLength(64);
            b.Property(p => p.Brand).HasMaxLength(100);
            b.Property(p => p.Gtin).HasMaxLength(14);
            b.HasIndex(p => new { p.PartnerId, p.IsActive });
            b.Property(p => p.Version).IsConcurrencyToken();
            b.Ignore(p => p.DomainEvents);
        });
        modelBuilder.Entity<Category>(b =>
        {
            b.ToTable("Categories");
            b.HasKey(c => c.Id);
            b.Property(c => c.Name).HasMaxLength(100);
            b.Property(c => c.Slug).HasMaxLength(100);
            b.HasIndex(c => c.Slug).IsUnique();
            b.Ignore(c => c.DomainEvents);
        });
        modelBuilder.Entity<StockMovement>(b =>
        {
            b.ToTable("StockMovements");
            b.HasKey(m => m.Id);
            b.Property(m => m.Sku).HasMaxLength(Skus.MaxLength);
            b.Property(m => m.Reason).HasMaxLength(200);
            b.Property(m => m.Actor).HasMaxLength(256);
            b.HasIndex(m => new { m.Sku, m.OccurredAt });
        });
        modelBuilder.Entity<StockReservation>(b =>
        {
            b.ToTable("StockReservations");
            b.HasKey(r => r.Id);
            b.Property(r => r.Sku).HasMaxLength(Skus.MaxLength);
            // One hold per order line: a concurrent second reservation of the same order fails instead of holding twice.
            b.HasIndex(r => new { r.OrderId, r.Sku }).IsUnique();
        });
    }

    protected override IIntegrationEvent? ToIntegrationEvent(IDomainEvent domainEvent) => domainEvent switch
    {
        // The handler loaded the category, so Find is answered from the change tracker.
        ProductUpsertedDomainEvent e => new ProductUpserted(
            Guid.NewGuid(), e.OccurredAt, e.ProductId, e.Sku, e.Name, Categories.Find(e.CategoryId)?.Slug ?? "", e.Price, e.Stock, e.IsActive),
        _ => null,
    };
}

/// <summary>SQLite flavour: exists so SQLite keeps its own migrations (Migrations/Sqlite).</summary>
internal sealed class CatalogSqliteDbContext(DbContextOptions<CatalogSqliteDbContext> options) : CatalogDbContext(options);

/// <summary>SQL Server flavour: exists so SQL Server keeps its own migrations (Migrations/SqlServer).</summary>
internal sealed class CatalogSqlServerDbContext(DbContextOptions<CatalogSqlServerDbContext> options) : CatalogDbContext(options);

internal sealed class CatalogSqliteDesignTimeFactory() : SqliteDesignTimeFactory<CatalogSqliteDbContext>(CatalogModule.Name, o => new(o));

internal sealed class CatalogSqlServerDesignTimeFactory() : SqlServerDesignTimeFactory<CatalogSqlServerDbContext>(CatalogModule.Name, o => new(o));
