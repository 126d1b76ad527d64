namespace Retail.BuildingBlocks.Contracts;

/// <summary>An event one module publishes for others. Travels through the outbox, so it must serialize to JSON.</summary>
public interface IIntegrationEvent
{
    Guid EventId { get; }

    DateTimeOffset OccurredAt { get; }
}

/// <summary>Base record for integration events; every concrete event also carries <see cref="IntegrationEventNameAttribute"/>.</summary>
public abstract record IntegrationEvent(Guid EventId, DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>
/// The stable wire name of an integration event (for example <c>catalog.product-upserted.v1</c>).
/// Stored in outbox rows instead of CLR names so types can be renamed or moved without breaking undelivered events.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class IntegrationEventNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
