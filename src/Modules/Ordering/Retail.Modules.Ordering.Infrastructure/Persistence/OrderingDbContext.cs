using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Domain;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Ordering.Application;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Domain.Carts;
using Retail.Modules.Ordering.Domain.Orders;
using Retail.Modules.Ordering.IntegrationEvents;

namespace Retail.Modules.Ordering.Infrastructure.Persistence;

internal class OrderingDbContext(DbContextOptions options) : ModuleDbContext(options, OrderingModule.Name), IOrderingDbContext
{
    public DbSet<Cart> Carts => Set<Cart>();

    public DbSet<Order> Orders => Set<Order>();

    protected override void ConfigureModule(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Cart>(b =>
        {
            b.ToTable("Carts");
            b.HasKey(c => c.Id);
            b.Property(c => c.CustomerId).HasMaxLength(200);
            b.HasIndex(c => c.CustomerId).IsUnique();
            b.HasMany(c => c.Lines).WithOne().HasForeignKey(l => l.CartId).OnDelete(DeleteBehavior.Cascade);
            b.Navigation(c => c.Lines).HasField("_lines").UsePropertyAccessMode(PropertyAccessMode.Field);
            b.Ignore(c => c.DomainEvents);
        });
        modelBuilder.Entity<CartLine>(b =>
        {
            b.ToTable("CartLines");
            b.HasKey(l => l.Id);
            // The domain sets the id; without this a line added to a cart that is already stored would be taken for an
            // existing row (UPDATE of 0 rows → concurrency exception) instead of an INSERT.
            b.Property(l => l.Id).ValueGeneratedNever();
            b.Property(l => l.Sku).HasMaxLength(CartSkus.MaxLength);
            b.HasIndex(l => new { l.CartId, l.Sku }).IsUnique();
        });
        modelBuilder.Entity<Order>(b =>
        {
            b.ToTable("Orders");
            b.HasKey(o => o.Id);
            b.Property(o => o.Number).HasMaxLength(30);
            b.HasIndex(o => o.Number).IsUnique();
            b.Property(o => o.CustomerId).HasMaxLength(200);
            b.Property(o => o.CustomerEmail).HasMaxLength(256);
            b.HasIndex(o => new { o.CustomerId, o.PlacedAt });
            b.HasIndex(o => new { o.Status, o.PlacedAt });
            b.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(o => o.PaymentMethod).HasMaxLength(50);
            b.Property(o => o.PaymentKey).HasMaxLength(60);
            b.Property(o => o.Currency).HasMaxLength(3);
            b.Property(o => o.CancelReason).HasMaxLength(200);
            b.Property(o => o.Version).IsConcurrencyToken();
            b.ComplexProperty(o => o.ShippingAddress, a =>
            {
                a.Property(x => x.Name).HasMaxLength(100).HasColumnName("ShipName");
                a.Property(x => x.Line1).HasMaxLength(200).HasColumnName("ShipLine1");
                a.Property(x => x.Line2).HasMaxLength(200).HasColumnName("ShipLine2");
                a.Property(x => x.City).HasMaxLength(100).HasColumnName("ShipCity");
                a.Property(x => x.PostalCode).HasMaxLength(20).HasColumnName("ShipPostalCode");
                a.Property(x => x.Country).HasMaxLength(100).HasColumnName("ShipCountry");
            });
            b.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
            b.Navigation(o => o.Lines).HasField("_lines").UsePropertyAccessMode(PropertyAccessMode.Field);
            b.Ignore(o => o.AmountDueByMethod);
            b.Ignore(o => o.DomainEvents);
        });
        modelBuilder.Entity<OrderLine>(b =>
        {
            b.ToTable("OrderLines");
            b.HasKey(l => l.Id);
            b.Property(l => l.Sku).HasMaxLength(CartSkus.MaxLength);
            b.Property(l => l.Name).HasMaxLength(200);
            b.Ignore(l => l.LineTotal);
        });
    }

    protected override IIntegrationEvent? ToIntegrationEvent(IDomainEvent domainEvent) => domainEvent switch
    {
        OrderPlacedDomainEvent e => new OrderPlaced(Guid.NewGuid(), e.OccurredAt, e.Order.Id, e.Order.Number, e.Order.CustomerId, e.Order.Total, e.Order.Currency, LinesOf(e.Order)),
        OrderPaidDomainEvent e => new OrderPaid(Guid.NewGuid(), e.OccurredAt, e.Order.Id, e.Order.Number, e.Order.CustomerId, e.Order.Total, e.Order.Currency, e.Order.PaymentMethod, LinesOf(e.Order)),
        OrderCancelledDomainEvent e => new OrderCancelled(Guid.NewGuid(), e.OccurredAt, e.OrderId, e.Number, e.CustomerId, e.Reason),
        OrderShippedDomainEvent e => new OrderShipped(Guid.NewGuid(), e.OccurredAt, e.OrderId, e.Number, e.CustomerId),
        OrderDeliveredDomainEvent e => new OrderDelivered(Guid.NewGuid(), e.OccurredAt, e.OrderId, e.Number, e.CustomerId),
        _ => null,
    };

    private static List<OrderLineInfo> LinesOf(Order order) =>
        [.. order.Lines.Select(l => new OrderLineInfo(l.Sku, l.Name, l.UnitPrice, l.Quantity))];
}

/// <summary>SQLite flavour: exists so SQLite keeps its own migrations (Migrations/Sqlite).</summary>
internal sealed class OrderingSqliteDbContext(DbContextOptions<OrderingSqliteDbContext> options) : OrderingDbContext(options);

/// <summary>SQL Server flavour: exists so SQL Server keeps its own migrations (Migrations/SqlServer).</summary>
internal sealed class OrderingSqlServerDbContext(DbContextOptions<OrderingSqlServerDbContext> options) : OrderingDbContext(options);

internal sealed class OrderingSqliteDesignTimeFactory() : SqliteDesignTimeFactory<OrderingSqliteDbContext>(OrderingModule.Name, o => new(o));

internal sealed class OrderingSqlServerDesignTimeFactory() : SqlServerDesignTimeFactory<OrderingSqlServerDbContext>(OrderingModule.Name, o => new(o));

/// <summary>The platform's unit of work over the Ordering context, under a type handlers can ask for without a key.</summary>
internal sealed class OrderingUnitOfWork([FromKeyedServices(OrderingModule.Name)] IUnitOfWork inner) : IOrderingUnitOfWork
{
    public Task<TResult> ExecuteAsync<TResult>(Func<Task<TResult>> operation, Func<TResult, bool> shouldCommit, CancellationToken cancellationToken) =>
        inner.ExecuteAsync(operation, shouldCommit, cancellationToken);
}
