using Retail.BuildingBlocks.Contracts;

namespace Retail.Modules.Identity.IntegrationEvents;

/// <summary>A new customer account exists (through the register page or <c>/api/identity/register</c>).</summary>
[IntegrationEventName("identity.customer-registered.v1")]
public sealed record CustomerRegistered(Guid EventId, DateTimeOffset OccurredAt, string UserId, string Email, string DisplayName)
    : IntegrationEvent(EventId, OccurredAt);
