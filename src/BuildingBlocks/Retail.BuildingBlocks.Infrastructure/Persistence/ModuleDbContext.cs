using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Domain;
using Retail.BuildingBlocks.Infrastructure.Idempotency;
using Retail.BuildingBlocks.Infrastructure.Outbox;

namespace Retail.BuildingBlocks.Infrastructure.Persistence;

/// <summary>
/// Base of every module's DbContext: its own schema or table prefix, its own migrations history, and its outbox,
/// inbox and idempotency tables. Domain events of tracked aggregates that other modules care about become
/// outbox rows inside the same SaveChanges.
/// </summary>
public abstract class ModuleDbContext : DbContext, IModuleDbContext
{
    internal static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web);

    protected ModuleDbContext(DbContextOptions options, string schema)
        : base(options) => Schema = schema;

    /// <summary>The module's schema (SQL Server) or table prefix (SQLite), e.g. <c>catalog</c>.</summary>
    public string Schema { get; }

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    /// <summary>True when this save wrote outbox rows, so the unit of work can nudge the relay.</summary>
    internal bool WroteOutbox { get; set; }

    public void Publish(IIntegrationEvent integrationEvent)
    {
        OutboxMessages.Add(OutboxMessage.From(integrationEvent));
        WroteOutbox = true;
    }

    /// <summary>Turns a domain event into the integration event other modules receive, or null when it stays inside.</summary>
    protected virtual IIntegrationEvent? ToIntegrationEvent(IDomainEvent domainEvent) => null;

    /// <summary>
    /// The integration events of one save's domain events (in the order raised): by default each through
    /// <see cref="ToIntegrationEvent"/>. A module overrides it to report many events of one kind in one summary event,
    /// when its subscribers only count them (one outbox row and one delivery instead of one per event).
    /// </summary>
    protected virtual IEnumerable<IIntegrationEvent> ToIntegrationEvents(IReadOnlyList<IDomainEvent> domainEvents)
    {
        ArgumentNullException.ThrowIfNull(domainEvents);
        foreach (var domainEvent in domainEvents)
        {
            if (ToIntegrationEvent(domainEvent) is { } integrationEvent)
            {
                yield return integrationEvent;
            }
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var aggregates = ChangeTracker.Entries<IAggregateRoot>().Select(e => e.Entity).Where(a => a.DomainEvents.Count > 0).ToList();
        if (aggregates.Count > 0)
        {
            var domainEvents = aggregates.SelectMany(a => a.DomainEvents).ToList();
            foreach (var aggregate in aggregates)
            {
                aggregate.ClearDomainEvents();
            }

            foreach (var integrationEvent in ToIntegrationEvents(domainEvents))
            {
                Publish(integrationEvent);
            }
        }

        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// Saves without the savepoint EF otherwise sets around a save inside a transaction (a SAVEPOINT and a RELEASE per
    /// save, so that a failed save leaves the transaction usable). Only for saves whose failure ends the transaction
    /// anyway: the unit of work's closing save, and an inbox delivery's (its own savepoint or its whole transaction is
    /// rolled back).
    /// </summary>
    internal async Task<int> SaveChangesEndingTransactionAsync(CancellationToken cancellationToken)
    {
        var auto = Database.AutoSavepointsEnabled;
        Database.AutoSavepointsEnabled = false;
        try
        {
            return await SaveChangesAsync(cancellationToken);
        }
        finally
        {
            Database.AutoSavepointsEnabled = auto;
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ModuleModelConventions.ApplyProviderConventions(configurationBuilder, Database.IsSqlServer());

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration());
        modelBuilder.ApplyConfiguration(new InboxMessageConfiguration());
        modelBuilder.ApplyConfiguration(new IdempotencyRecordConfiguration());
        ConfigureModule(modelBuilder);
        ModuleModelConventions.ApplyModuleLayout(modelBuilder, Database.IsSqlServer(), Schema);
    }

    /// <summary>The module's own entity configuration.</summary>
    protected abstract void ConfigureModule(ModelBuilder modelBuilder);
}
