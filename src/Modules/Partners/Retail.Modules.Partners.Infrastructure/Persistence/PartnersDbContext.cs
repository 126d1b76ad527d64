using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Infrastructure.Features;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Domain;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Partners.Application;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Domain.Feeds;
using Retail.Modules.Partners.Domain.Partners;
using Retail.Modules.Partners.Domain.Schedules;
using Retail.Modules.Partners.Domain.Webhooks;
using Retail.Modules.Partners.IntegrationEvents;

namespace Retail.Modules.Partners.Infrastructure.Persistence;

internal class PartnersDbContext(DbContextOptions options) : ModuleDbContext(options, PartnersModule.Name), IPartnersDbContext
{
    public DbSet<Partner> Partners => Set<Partner>();

    public DbSet<PartnerUser> PartnerUsers => Set<PartnerUser>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<ApiKeyAuditEntry> AuthAudit => Set<ApiKeyAuditEntry>();

    public DbSet<FeedJob> FeedJobs => Set<FeedJob>();

    public DbSet<FeedRowError> FeedRowErrors => Set<FeedRowError>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<SkuSequence> SkuSequences => Set<SkuSequence>();

    public DbSet<CallbackAttempt> CallbackAttempts => Set<CallbackAttempt>();

    public DbSet<FeedSchedule> FeedSchedules => Set<FeedSchedule>();

    Task<int> IPartnersDbContext.SaveChangesAsync(CancellationToken cancellationToken) => SaveChangesAsync(cancellationToken);

    // Compiled once: the reads every partner call and every webhook makes skip EF's per-query expression work.
    private static readonly Func<PartnersDbContext, string, CancellationToken, Task<ApiKeyWithPartner?>> ApiKeyByPrefix =
        EF.CompileAsyncQuery((PartnersDbContext c, string prefix, CancellationToken _) =>
            (from k in c.ApiKeys.AsNoTracking()
             where k.Prefix == prefix
             from p in c.Partners.AsNoTracking().Where(p => p.Id == k.PartnerId).DefaultIfEmpty()
             select new ApiKeyWithPartner(k, p)).SingleOrDefault());

    private static readonly Func<PartnersDbContext, Guid, CancellationToken, Task<Partner?>> PartnerById =
        EF.CompileAsyncQuery((PartnersDbContext c, Guid id, CancellationToken _) => c.Partners.AsNoTracking().SingleOrDefault(p => p.Id == id));

    private static readonly Func<PartnersDbContext, Guid, string, CancellationToken, Task<WebhookDelivery?>> DeliveryById =
        EF.CompileAsyncQuery((PartnersDbContext c, Guid partnerId, string deliveryId, CancellationToken _) =>
            c.WebhookDeliveries.AsNoTracking().SingleOrDefault(d => d.PartnerId == partnerId && d.DeliveryId == deliveryId));

    public Task<ApiKeyWithPartner?> FindApiKeyAsync(string prefix, CancellationToken cancellationToken) => ApiKeyByPrefix(this, prefix, cancellationToken);

    public Task<Partner?> FindPartnerAsync(Guid partnerId, CancellationToken cancellationToken) => PartnerById(this, partnerId, cancellationToken);

    public Task<WebhookDelivery?> FindDeliveryAsync(Guid partnerId, string deliveryId, CancellationToken cancellationToken) =>
        DeliveryById(this, partnerId, deliveryId, cancellationToken);

    protected override void ConfigureModule(ModelBuilder modelBuilder)
    {
        modelBuilder.AddFeatureSwitches();
        modelBuilder.Entity<Partner>(b =>
        {
            b.ToTable("Partners");
            b.HasKey(p => p.Id);
            b.Property(p => p.Name).HasMaxLength(Partner.MaxNameLength);
            b.HasIndex(p => p.Name).IsUnique();
            b.Property(p => p.ContactEmail).HasMaxLength(256);
            b.Property(p => p.CallbackUrl).HasMaxLength(500);
            b.Property(p => p.ProtectedWebhookSecret).HasMaxLength(512);
            b.Property(p => p.PreviousProtectedWebhookSecret).HasMaxLength(512);
            b.Ignore(p => p.PublicId);
            b.Ignore(p => p.DomainEvents);
        });
        modelBuilder.Entity<PartnerUser>(b =>
        {
            b.ToTable("PartnerUsers");
            b.HasKey(u => u.UserId);
            b.Property(u => u.UserId).HasMaxLength(64);
            b.Property(u => u.Email).HasMaxLength(256);
            b.HasIndex(u => u.PartnerId);
        });
        modelBuilder.Entity<ApiKey>(b =>
        {
            b.ToTable("ApiKeys");
            b.HasKey(k => k.Id);
            b.Property(k => k.Name).HasMaxLength(100);
            b.Property(k => k.Prefix).HasMaxLength(40);
            b.HasIndex(k => k.Prefix).IsUnique();
            b.Property(k => k.Hash).HasMaxLength(64);
            b.HasIndex(k => k.PartnerId);
            b.Ignore(k => k.IsSandbox);
        });
        modelBuilder.Entity<ApiKeyAuditEntry>(b =>
        {
            b.ToTable("AuthAudit");
            b.HasKey(a => a.Id);
            b.Property(a => a.KeyPrefix).HasMaxLength(40);
            b.Property(a => a.SourceIp).HasMaxLength(64);
            b.Property(a => a.Path).HasMaxLength(200);
            b.HasIndex(a => new { a.PartnerId, a.Id });
        });
        modelBuilder.Entity<FeedJob>(b =>
        {
            b.ToTable("FeedJobs");
            b.HasKey(j => j.Id);
            b.Property(j => j.Format).HasMaxLength(16);
            b.Property(j => j.FileName).HasMaxLength(200);
            b.Property(j => j.ContentHash).HasMaxLength(64);
            b.Property(j => j.IdempotencyKey).HasMaxLength(100);
            b.Property(j => j.FailureReason).HasMaxLength(500);
            b.HasIndex(j => new { j.PartnerId, j.CreatedAt });
            b.HasIndex(j => new { j.PartnerId, j.ContentHash });
            b.HasIndex(j => new { j.PartnerId, j.IdempotencyKey }).IsUnique();
            b.HasIndex(j => j.Status);
            b.Ignore(j => j.IsFinished);
            b.Ignore(j => j.DomainEvents);
        });
        modelBuilder.Entity<FeedRowError>(b =>
        {
            b.ToTable("FeedRowErrors");
            b.HasKey(e => e.Id);
            b.Property(e => e.Field).HasMaxLength(64);
            b.Property(e => e.Code).HasMaxLength(64);
            b.Property(e => e.Message).HasMaxLength(500);
            b.Property(e => e.Sku).HasMaxLength(64);
            b.HasIndex(e => new { e.JobId, e.Line });
        });
        modelBuilder.Entity<WebhookDelivery>(b =>
        {
            b.ToTable("WebhookDeliveries");
            b.HasKey(d => d.Id);
            b.Property(d => d.DeliveryId).HasMaxLength(100);
            b.Property(d => d.Sku).HasMaxLength(40);
            b.Property(d => d.BodyHash).HasMaxLength(64);
            b.Property(d => d.Outcome).HasMaxLength(500);
            b.HasIndex(d => new { d.PartnerId, d.DeliveryId }).IsUnique();
            b.HasIndex(d => new { d.PartnerId, d.ReceivedAt });
            b.HasIndex(d => d.Status);
            b.Ignore(d => d.IsProcessed);
            b.Ignore(d => d.DomainEvents);
        });
        modelBuilder.Entity<SkuSequence>(b =>
        {
            b.ToTable("SkuSequences");
            b.HasKey(s => new { s.PartnerId, s.Sku });
            b.Property(s => s.Sku).HasMaxLength(40);
        });
        modelBuilder.Entity<CallbackAttempt>(b =>
        {
            b.ToTable("CallbackAttempts");
            b.HasKey(a => a.Id);
            b.Property(a => a.Error).HasMaxLength(300);
            b.HasIndex(a => a.DeliveryId);
            b.Ignore(a => a.Succeeded);
        });
        modelBuilder.Entity<FeedSchedule>(b =>
        {
            b.ToTable("FeedSchedules");
            b.HasKey(s => s.Id);
            b.Property(s => s.Url).HasMaxLength(500);
            b.Property(s => s.Cron).HasMaxLength(100);
            b.HasIndex(s => s.PartnerId);
            b.Ignore(s => s.RecurringJobId);
        });
    }

    protected override IIntegrationEvent? ToIntegrationEvent(IDomainEvent domainEvent) => domainEvent switch
    {
        FeedJobFinishedDomainEvent { Job: var j } => new FeedJobFinished(
            Guid.NewGuid(), j.FinishedAt ?? DateTimeOffset.UtcNow, j.Id, j.PartnerId, j.Status.ToString(), j.Mode == FeedMode.Validate,
            j.RowsRead, j.Created, j.Updated, j.Unchanged, j.Rejected, j.Deactivated,
            j.StartedAt is { } s && j.FinishedAt is { } f ? (f - s).TotalSeconds : 0),
        _ => null,
    };

    /// <summary>
    /// Deliveries processed in one save (the webhook worker's batch) are reported as one <see cref="WebhooksProcessed"/>
    /// per partner: Monitoring only counts them, and one event per delivery cost an outbox row, a delivery and two counter
    /// updates each — at hundreds of webhooks per second a large share of the server's work.
    /// </summary>
    protected override IEnumerable<IIntegrationEvent> ToIntegrationEvents(IReadOnlyList<IDomainEvent> domainEvents)
    {
        ArgumentNullException.ThrowIfNull(domainEvents);
        foreach (var integrationEvent in base.ToIntegrationEvents(domainEvents))
        {
            yield return integrationEvent;
        }

        foreach (var partner in domainEvents.OfType<DeliveryProcessedDomainEvent>().Select(e => e.Delivery).Distinct().GroupBy(d => d.PartnerId))
        {
            var deliveries = partner.ToList();
            yield return new WebhooksProcessed(
                Guid.NewGuid(),
                deliveries.Max(d => d.ProcessedAt ?? DateTimeOffset.UtcNow),
                partner.Key,
                deliveries.Count(d => d.Status == DeliveryStatus.Applied),
                deliveries.Count(d => d.Status == DeliveryStatus.IgnoredOutOfOrder),
                deliveries.Count(d => d.Status == DeliveryStatus.Failed),
                deliveries.Max(d => d.ProcessedAt is { } p ? (p - d.ReceivedAt).TotalSeconds : 0));
        }
    }
}

/// <summary>SQLite flavour: exists so SQLite keeps its own migrations (Migrations/Sqlite).</summary>
internal sealed class PartnersSqliteDbContext(DbContextOptions<PartnersSqliteDbContext> options) : PartnersDbContext(options);

/// <summary>SQL Server flavour: exists so SQL Server keeps its own migrations (Migrations/SqlServer).</summary>
internal sealed class PartnersSqlServerDbContext(DbContextOptions<PartnersSqlServerDbContext> options) : PartnersDbContext(options);

internal sealed class PartnersSqliteDesignTimeFactory() : SqliteDesignTimeFactory<PartnersSqliteDbContext>(PartnersModule.Name, o => new(o));

internal sealed class PartnersSqlServerDesignTimeFactory() : SqlServerDesignTimeFactory<PartnersSqlServerDbContext>(PartnersModule.Name, o => new(o));
