using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;

namespace Retail.Modules.Returns.IntegrationEvents;

/// <summary>Read-only, for the operations dashboard: returns per stage, per disposition, and each team queue with its overdue count.</summary>
[AuthorizeRoles(Roles.Admin)]
public sealed record GetReturnsOverview : IQuery<ReturnsOverviewDto>;

/// <param name="ByStatus">Stage code (SUBMITTED…) → count; every stage is present.</param>
/// <param name="CompletedByDisposition">REFUND, REPLACEMENT, REPAIR, STORE_CREDIT, REJECT → completed returns.</param>
public sealed record ReturnsOverviewDto(
    int Total,
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, int> CompletedByDisposition,
    IReadOnlyList<ReturnQueueDto> Queues,
    decimal RefundedTotal,
    decimal StoreCreditTotal);

/// <param name="Team">support, warehouse or finance.</param>
/// <param name="Overdue">Returns longer in their stage than the SLA.</param>
public sealed record ReturnQueueDto(string Team, int Open, int Overdue);
