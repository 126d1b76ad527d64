using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.Infrastructure.Outbox;

/// <summary>
/// An integration event waiting for delivery, written in the same transaction as the change that raised it.
/// A relay claims it (<see cref="LockedBy"/>/<see cref="LockedUntil"/>), delivers it, and marks it processed, or counts
/// the attempt and eventually dead-letters it.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    /// <summary>Stable event name from <see cref="IntegrationEventNameAttribute"/>.</summary>
    public string Type { get; set; } = "";

    public string Payload { get; set; } = "";

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public int Attempts { get; set; }

    public Guid? LockedBy { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Earliest time of the next attempt after a failure (exponential backoff).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DeadLetteredAt { get; set; }

    public static OutboxMessage From(IIntegrationEvent integrationEvent)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var type = integrationEvent.GetType();
        return new OutboxMessage
        {
            Id = integrationEvent.EventId,
            Type = NameOf(type),
            Payload = JsonSerializer.Serialize(integrationEvent, type, ModuleDbContext.EventJson),
            OccurredAt = integrationEvent.OccurredAt,
        };
    }

    public static string NameOf(Type eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        return eventType.GetCustomAttribute<IntegrationEventNameAttribute>()?.Name
            ?? throw new InvalidOperationException($"{eventType.FullName} needs an [IntegrationEventName] attribute.");
    }
}

/// <summary>Records that one subscriber handled one event, so a repeated delivery is ignored.</summary>
public sealed class InboxMessage
{
    public Guid EventId { get; set; }

    public string Handler { get; set; } = "";

    public string Type { get; set; } = "";

    public DateTimeOffset ProcessedAt { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Type).HasMaxLength(200);
        builder.Property(m => m.LastError).HasMaxLength(2000);
        builder.HasIndex(m => new { m.ProcessedAt, m.OccurredAt });
    }
}

internal sealed class InboxMessageConfiguration : IEntityTypeConfiguration<InboxMessage>
{
    public void Configure(EntityTypeBuilder<InboxMessage> builder)
    {
        builder.ToTable("InboxMessages");
        builder.HasKey(m => new { m.EventId, m.Handler });
        builder.Property(m => m.Handler).HasMaxLength(300);
        builder.Property(m => m.Type).HasMaxLength(200);
        // For the retention job: the receipts older than the retention, oldest first, without reading the others.
        builder.HasIndex(m => m.ProcessedAt);
    }
}
