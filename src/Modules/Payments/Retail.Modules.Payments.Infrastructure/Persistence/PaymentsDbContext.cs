using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Domain;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Payments.Application;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.Domain.Refunds;
using Retail.Modules.Payments.Domain.StoreCredit;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.Infrastructure.Persistence;

internal class PaymentsDbContext(DbContextOptions options) : ModuleDbContext(options, PaymentsModule.Name), IPaymentsDbContext
{
    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<Refund> Refunds => Set<Refund>();

    public DbSet<StoreCreditAccount> StoreCreditAccounts => Set<StoreCreditAccount>();

    public DbSet<StoreCreditEntry> StoreCreditEntries => Set<StoreCreditEntry>();

    protected override void ConfigureModule(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Payment>(b =>
        {
            b.ToTable("Payments");
            b.HasKey(p => p.Id);
            b.Property(p => p.CustomerId).HasMaxLength(StoreCreditAccount.MaxCustomerIdLength);
            b.Property(p => p.Currency).HasMaxLength(3);
            b.Property(p => p.Method).HasMaxLength(50);
            b.Property(p => p.IdempotencyKey).HasMaxLength(Payment.MaxIdempotencyKeyLength);
            // The key is what makes a repeated or concurrent charge find the first one instead of starting a second.
            b.HasIndex(p => p.IdempotencyKey).IsUnique();
            b.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(p => p.ProviderReference).HasMaxLength(100);
            b.Property(p => p.LastError).HasMaxLength(Payment.MaxErrorLength);
            b.Property(p => p.Version).IsConcurrencyToken();
            b.HasIndex(p => p.OrderId);
            b.HasIndex(p => new { p.Status, p.CreatedAt });
            b.Ignore(p => p.RefundableAmount);
            b.Ignore(p => p.DomainEvents);
        });
        modelBuilder.Entity<Refund>(b =>
        {
            b.ToTable("Refunds");
            b.HasKey(r => r.Id);
            b.Property(r => r.CustomerId).HasMaxLength(StoreCreditAccount.MaxCustomerIdLength);
            b.Property(r => r.Currency).HasMaxLength(3);
            b.Property(r => r.IdempotencyKey).HasMaxLength(Payment.MaxIdempotencyKeyLength);
            b.HasIndex(r => r.IdempotencyKey).IsUnique();
            b.Property(r => r.Reason).HasMaxLength(Refund.MaxReasonLength);
            b.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(r => r.LastError).HasMaxLength(Payment.MaxErrorLength);
            b.Property(r => r.Version).IsConcurrencyToken();
            b.HasIndex(r => new { r.Status, r.CreatedAt });
            b.HasIndex(r => r.PaymentId);
            b.Ignore(r => r.DomainEvents);
        });
        modelBuilder.Entity<StoreCreditAccount>(b =>
        {
            b.ToTable("StoreCreditAccounts");
            b.HasKey(a => a.Id);
            b.Property(a => a.CustomerId).HasMaxLength(StoreCreditAccount.MaxCustomerIdLength);
            b.HasIndex(a => a.CustomerId).IsUnique();
        });
        modelBuilder.Entity<StoreCreditEntry>(b =>
        {
            b.ToTable("StoreCreditEntries");
            b.HasKey(e => e.Id);
            b.Property(e => e.CustomerId).HasMaxLength(StoreCreditAccount.MaxCustomerIdLength);
            b.Property(e => e.Reason).HasMaxLength(StoreCreditEntry.MaxReasonLength);
            b.Property(e => e.Reference).HasMaxLength(StoreCreditEntry.MaxReferenceLength);
            b.Property(e => e.IdempotencyKey).HasMaxLength(StoreCreditEntry.MaxKeyLength);
            // One ledger line per operation key: a retried debit or credit cannot be applied twice.
            b.HasIndex(e => e.IdempotencyKey).IsUnique();
            b.HasIndex(e => new { e.CustomerId, e.OccurredAt });
        });
    }

    protected override IIntegrationEvent? ToIntegrationEvent(IDomainEvent domainEvent) => domainEvent switch
    {
        PaymentSucceededDomainEvent e => new PaymentSucceeded(
            Guid.NewGuid(), e.OccurredAt, e.PaymentId, e.OrderId, e.CustomerId, e.Amount, e.Currency, e.Method, e.ProviderReference),
        PaymentDeclinedDomainEvent e => new PaymentFailed(
            Guid.NewGuid(), e.OccurredAt, e.PaymentId, e.OrderId, e.CustomerId, e.Amount, e.Currency, e.Method, e.Reason),
        RefundSucceededDomainEvent e => new RefundIssued(
            Guid.NewGuid(), e.OccurredAt, e.RefundId, e.PaymentId, e.OrderId, e.CustomerId, e.Amount, e.Currency, e.Reason),
        _ => null,
    };
}

/// <summary>SQLite flavour: exists so SQLite keeps its own migrations (Migrations/Sqlite).</summary>
internal sealed class PaymentsSqliteDbContext(DbContextOptions<PaymentsSqliteDbContext> options) : PaymentsDbContext(options);

/// <summary>SQL Server flavour: exists so SQL Server keeps its own migrations (Migrations/SqlServer).</summary>
internal sealed class PaymentsSqlServerDbContext(DbContextOptions<PaymentsSqlServerDbContext> options) : PaymentsDbContext(options);

internal sealed class PaymentsSqliteDesignTimeFactory() : SqliteDesignTimeFactory<PaymentsSqliteDbContext>(PaymentsModule.Name, o => new(o));

internal sealed class PaymentsSqlServerDesignTimeFactory() : SqlServerDesignTimeFactory<PaymentsSqlServerDbContext>(PaymentsModule.Name, o => new(o));
