using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Infrastructure.Features;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Domain;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Returns.Application;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Domain.Purchases;
using Retail.Modules.Returns.Domain.Returns;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Returns.Infrastructure.Persistence;

internal class ReturnsDbContext(DbContextOptions options) : ModuleDbContext(options, ReturnsModule.Name), IReturnsDbContext
{
    public DbSet<Return> Returns => Set<Return>();

    public DbSet<ReturnAuditEntry> AuditEntries => Set<ReturnAuditEntry>();

    public DbSet<ReturnPhoto> Photos => Set<ReturnPhoto>();

    public DbSet<PurchasedOrder> PurchasedOrders => Set<PurchasedOrder>();

    public DbSet<PurchasedLine> PurchasedLines => Set<PurchasedLine>();

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // The audit is append-only: nothing may change or remove a row once written.
        if (ChangeTracker.Entries<ReturnAuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Return audit rows are append-only.");
        }

        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureModule(ModelBuilder modelBuilder)
    {
        modelBuilder.AddFeatureSwitches();
        modelBuilder.Entity<Return>(b =>
        {
            b.ToTable("Returns");
            b.HasKey(r => r.Id);
            b.Property(r => r.Id).ValueGeneratedNever();
            b.Property(r => r.Code).HasMaxLength(12);
            b.HasIndex(r => r.Code).IsUnique();
            b.Property(r => r.CustomerId).HasMaxLength(100);
            b.Property(r => r.CustomerEmail).HasMaxLength(256);
            b.Property(r => r.OrderNumber).HasMaxLength(40);
            b.Property(r => r.Currency).HasMaxLength(3);
            b.Property(r => r.Reason).HasConversion<string>().HasMaxLength(20);
            b.Property(r => r.PreferredOutcome).HasConversion<string>().HasMaxLength(20);
            b.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(r => r.Grade).HasConversion<string>().HasMaxLength(20);
            b.Property(r => r.Mismatch).HasConversion<string>().HasMaxLength(20);
            b.Property(r => r.Note).HasMaxLength(Return.MaxNoteLength);
            b.Property(r => r.InspectionNotes).HasMaxLength(Return.MaxNoteLength);
            b.Property(r => r.RejectionReason).HasMaxLength(Return.MaxReasonLength);
            b.Property(r => r.TrackingNumber).HasMaxLength(Return.MaxTrackingLength);
            b.Property(r => r.Version).IsConcurrencyToken();
            b.HasIndex(r => new { r.CustomerId, r.CreatedAt });
            b.HasIndex(r => new { r.Status, r.StageEnteredAt });
            b.HasIndex(r => r.OrderId);
            b.HasMany(r => r.Lines).WithOne().HasForeignKey(l => l.ReturnId);
            b.HasMany(r => r.Outcomes).WithOne().HasForeignKey(o => o.ReturnId);
            b.HasMany(r => r.Audit).WithOne().HasForeignKey(a => a.ReturnId).OnDelete(DeleteBehavior.Restrict);
            b.Navigation(r => r.Lines).HasField("_lines").UsePropertyAccessMode(PropertyAccessMode.Field);
            b.Navigation(r => r.Outcomes).HasField("_outcomes").UsePropertyAccessMode(PropertyAccessMode.Field);
            b.Navigation(r => r.Audit).HasField("_audit").UsePropertyAccessMode(PropertyAccessMode.Field);
            b.Ignore(r => r.DomainEvents);
            b.Ignore(r => r.RefundTotal);
            b.Ignore(r => r.StoreCreditTotal);
            b.Ignore(r => r.MainDisposition);
            b.Ignore(r => r.SuggestedDisposition);
            b.Ignore(r => r.OutcomesDone);
        });
        modelBuilder.Entity<ReturnLine>(b =>
        {
            b.ToTable("ReturnLines");
            b.HasKey(l => l.Id);
            b.Property(l => l.Id).ValueGeneratedNever();
            b.Property(l => l.Sku).HasMaxLength(64);
            b.Property(l => l.Name).HasMaxLength(200);
            b.Property(l => l.Disposition).HasConversion<string>().HasMaxLength(20);
            b.Property(l => l.SuggestedDisposition).HasConversion<string>().HasMaxLength(20);
            b.Property(l => l.OverrideReason).HasMaxLength(Return.MaxReasonLength);
            b.Ignore(l => l.LineTotal);
            b.Ignore(l => l.UnitsReceived);
            b.Ignore(l => l.ReceivedTotal);
        });
        modelBuilder.Entity<ReturnOutcome>(b =>
        {
            b.ToTable("ReturnOutcomes");
            b.HasKey(o => o.Id);
            b.Property(o => o.Id).ValueGeneratedNever();
            b.Property(o => o.Kind).HasConversion<string>().HasMaxLength(20);
            b.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(o => o.LastError).HasMaxLength(500);
            b.Property(o => o.Reference).HasMaxLength(500);
            b.Property(o => o.Plan).HasMaxLength(500);
        });
        modelBuilder.Entity<ReturnAuditEntry>(b =>
        {
            b.ToTable("ReturnAudit");
            b.HasKey(a => a.Id);
            b.Property(a => a.Id).ValueGeneratedOnAdd();
            b.Property(a => a.Actor).HasMaxLength(256);
            b.Property(a => a.Role).HasMaxLength(20);
            b.Property(a => a.From).HasConversion<string>().HasMaxLength(20);
            b.Property(a => a.To).HasConversion<string>().HasMaxLength(20);
            b.Property(a => a.Action).HasMaxLength(40);
            b.Property(a => a.Reason).HasMaxLength(Return.MaxReasonLength);
            b.Property(a => a.TraceId).HasMaxLength(64);
            b.HasIndex(a => new { a.ReturnId, a.Sequence }).IsUnique();
        });
        modelBuilder.Entity<ReturnPhoto>(b =>
        {
            b.ToTable("ReturnPhotos");
            b.HasKey(p => p.Id);
            b.Property(p => p.Id).ValueGeneratedNever();
            b.Property(p => p.ContentType).HasMaxLength(40);
            b.Property(p => p.Extension).HasMaxLength(8);
            b.Property(p => p.UploadedBy).HasMaxLength(256);
            b.Property(p => p.UploadedByRole).HasMaxLength(20);
            b.HasIndex(p => p.ReturnId);
        });
        modelBuilder.Entity<PurchasedOrder>(b =>
        {
            b.ToTable("PurchasedOrders");
            b.HasKey(o => o.Id);
            b.Property(o => o.Id).ValueGeneratedNever();
            b.Property(o => o.Number).HasMaxLength(40);
            b.Property(o => o.CustomerId).HasMaxLength(100);
            b.Property(o => o.Currency).HasMaxLength(3);
            b.HasIndex(o => new { o.CustomerId, o.DeliveredAt });
            b.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId);
            b.Navigation(o => o.Lines).HasField("_lines").UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        modelBuilder.Entity<PurchasedLine>(b =>
        {
            b.ToTable("PurchasedLines");
            b.HasKey(l => l.Id);
            b.Property(l => l.Id).ValueGeneratedNever();
            b.Property(l => l.Sku).HasMaxLength(64);
            b.Property(l => l.Name).HasMaxLength(200);
            b.HasIndex(l => new { l.OrderId, l.Sku }).IsUnique();
            b.ToTable(t => t.HasCheckConstraint("CK_PurchasedLines_Taken", "\"Taken\" >= 0 AND \"Taken\" <= \"Quantity\""));
        });
    }

    protected override IIntegrationEvent? ToIntegrationEvent(IDomainEvent domainEvent) => domainEvent switch
    {
        ReturnStatusChangedDomainEvent e => new ReturnStatusChanged(
            Guid.NewGuid(), e.OccurredAt, e.Return.Id, e.Return.Code, e.Return.OrderId, e.Return.CustomerId, e.From?.ToCode(), e.To.ToCode(),
            EnumCodes.OfNullable(e.Return.MainDisposition)),
        ReturnRestockRequestedDomainEvent e => new ReturnRestockRequested(
            Guid.NewGuid(), e.OccurredAt, e.ReturnId, e.Code, [.. e.Lines.Select(l => new RestockLine(l.Sku, l.Quantity))]),
        ReplacementRequestedDomainEvent e => new ReplacementRequested(
            Guid.NewGuid(), e.OccurredAt, e.Return.Id, e.Return.Code, e.Return.OrderId, e.ReplacementOrderId, e.Return.CustomerId, e.Return.CustomerEmail,
            [.. e.Lines.Select(l => new ReplacementLine(l.Sku, l.Name, l.Quantity))]),
        _ => null,
    };
}

/// <summary>SQLite flavour: exists so SQLite keeps its own migrations (Migrations/Sqlite).</summary>
internal sealed class ReturnsSqliteDbContext(DbContextOptions<ReturnsSqliteDbContext> options) : ReturnsDbContext(options);

/// <summary>SQL Server flavour: exists so SQL Server keeps its own migrations (Migrations/SqlServer).</summary>
internal sealed class ReturnsSqlServerDbContext(DbContextOptions<ReturnsSqlServerDbContext> options) : ReturnsDbContext(options);

internal sealed class ReturnsSqliteDesignTimeFactory() : SqliteDesignTimeFactory<ReturnsSqliteDbContext>(ReturnsModule.Name, o => new(o));

internal sealed class ReturnsSqlServerDesignTimeFactory() : SqlServerDesignTimeFactory<ReturnsSqlServerDbContext>(ReturnsModule.Name, o => new(o));

/// <summary>The platform's unit of work over the Returns context, under a type handlers can ask for without a key.</summary>
internal sealed class ReturnsUnitOfWork([Microsoft.Extensions.DependencyInjection.FromKeyedServices(ReturnsModule.Name)] Retail.BuildingBlocks.Application.Abstractions.IUnitOfWork inner) : IReturnsUnitOfWork
{
    public Task<TResult> ExecuteAsync<TResult>(Func<Task<TResult>> operation, Func<TResult, bool> shouldCommit, CancellationToken cancellationToken) =>
        inner.ExecuteAsync(operation, shouldCommit, cancellationToken);
}
