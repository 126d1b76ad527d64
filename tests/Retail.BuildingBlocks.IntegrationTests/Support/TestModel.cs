using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Domain;
using Retail.BuildingBlocks.Infrastructure.Features;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.IntegrationTests.Support;

internal static class TestModule
{
    public const string Name = "testing";
}

/// <summary>The test module's context: its own tables next to the outbox, inbox and idempotency tables of the base.</summary>
internal sealed class TestModuleDbContext(DbContextOptions<TestModuleDbContext> options) : ModuleDbContext(options, TestModule.Name)
{
    public DbSet<Widget> Widgets => Set<Widget>();

    public DbSet<Gadget> Gadgets => Set<Gadget>();

    /// <summary>What subscribers did; one row per handler invocation that committed.</summary>
    public DbSet<HandlerEffect> HandlerEffects => Set<HandlerEffect>();

    protected override void ConfigureModule(ModelBuilder modelBuilder)
    {
        modelBuilder.AddFeatureSwitches();
        modelBuilder.Entity<Widget>(b =>
        {
            b.ToTable("Widgets");
            b.HasKey(w => w.Id);
            b.Property(w => w.Name).HasMaxLength(100);
        });
        modelBuilder.Entity<Gadget>(b =>
        {
            b.ToTable("Gadgets");
            b.HasKey(g => g.Id);
            b.Property(g => g.Name).HasMaxLength(100);
            b.Ignore(g => g.DomainEvents);
        });
        modelBuilder.Entity<HandlerEffect>(b =>
        {
            b.ToTable("HandlerEffects");
            b.HasKey(e => e.Id);
            b.Property(e => e.Handler).HasMaxLength(100);
            b.Property(e => e.Name).HasMaxLength(100);
            // Deliberately no unique index on (EventId, Handler): a double delivery must show up as a second row.
        });
    }

    protected override IIntegrationEvent? ToIntegrationEvent(IDomainEvent domainEvent) => domainEvent switch
    {
        GadgetRenamed e => new GadgetRenamedV1(Guid.NewGuid(), e.OccurredAt, e.GadgetId, e.Name),
        _ => null,
    };
}

internal sealed class Widget
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";
}

internal sealed class HandlerEffect
{
    public long Id { get; set; }

    public Guid EventId { get; set; }

    public string Handler { get; set; } = "";

    public string Name { get; set; } = "";
}

/// <summary>An aggregate whose renames matter to other modules and whose polishing does not.</summary>
internal sealed class Gadget : AggregateRoot<Guid>
{
    private Gadget()
    {
    }

    public string Name { get; private set; } = "";

    public static Gadget Create(Guid id, string name) => new() { Id = id, Name = name };

    public void Rename(string name, DateTimeOffset at)
    {
        Name = name;
        Raise(new GadgetRenamed(Id, name, at));
    }

    public void Polish(DateTimeOffset at) => Raise(new GadgetPolished(Id, at));
}

internal sealed record GadgetRenamed(Guid GadgetId, string Name, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>Stays inside the module: the context maps it to no integration event.</summary>
internal sealed record GadgetPolished(Guid GadgetId, DateTimeOffset OccurredAt) : IDomainEvent;

[IntegrationEventName("testing.widget-created.v1")]
internal sealed record WidgetCreated(Guid EventId, DateTimeOffset OccurredAt, string Name) : IntegrationEvent(EventId, OccurredAt);

[IntegrationEventName("testing.gadget-renamed.v1")]
internal sealed record GadgetRenamedV1(Guid EventId, DateTimeOffset OccurredAt, Guid GadgetId, string Name) : IntegrationEvent(EventId, OccurredAt);

/// <summary>Nobody subscribes to this one.</summary>
[IntegrationEventName("testing.widget-archived.v1")]
internal sealed record WidgetArchived(Guid EventId, DateTimeOffset OccurredAt) : IntegrationEvent(EventId, OccurredAt);
