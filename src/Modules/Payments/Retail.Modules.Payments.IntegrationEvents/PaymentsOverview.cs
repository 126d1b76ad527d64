using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;

namespace Retail.Modules.Payments.IntegrationEvents;

/// <summary>Read-only: the payment breaker's state and last MTTR and the pending queues, for the operations dashboard and the flash-sale live panel.</summary>
[AuthorizeRoles(Roles.Admin, Roles.CatalogAdmin)]
public sealed record GetPaymentsOverview : IQuery<PaymentsOverviewDto>;

/// <param name="BreakerState"><c>Closed</c>, <c>Open</c> or <c>HalfOpen</c>.</param>
/// <param name="OpenedAt">When the current outage began; null while closed.</param>
/// <param name="LastMttr">Breaker first opened → first successful payment, for the last outage that ended (SPEC A3).</param>
/// <param name="PendingPayments">Payments accepted while the provider was down, waiting to be completed.</param>
/// <param name="AbandonedPayments">Charges given up when their order was cancelled at its payment deadline (nothing taken).</param>
public sealed record PaymentsOverviewDto(
    string BreakerState,
    DateTimeOffset? OpenedAt,
    TimeSpan? LastMttr,
    DateTimeOffset? LastRecoveredAt,
    long Openings,
    int PendingPayments,
    int SucceededPayments,
    int DeclinedPayments,
    int AbandonedPayments,
    int PendingRefunds,
    int SucceededRefunds);
