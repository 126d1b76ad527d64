using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Contracts;

namespace Retail.Modules.Monitoring.IntegrationEvents;

/// <summary>
/// A quality scenario's verdict on the dashboard changed (e.g. A3 went from fulfilled to not fulfilled). Part of the
/// published language for alerting; not published yet (the dashboard evaluates scenarios on read).
/// </summary>
[IntegrationEventName("monitoring.scenario-status-changed.v1")]
public sealed record ScenarioStatusChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string Scenario,
    string From,
    string To,
    string Evidence) : IntegrationEvent(EventId, OccurredAt);

/// <summary>The Monitoring module's business totals (counter name → value since the start), for other modules' reports and tests.</summary>
[AuthorizeRoles(Roles.Admin)]
public sealed record GetBusinessTotals : IQuery<IReadOnlyDictionary<string, long>>;
