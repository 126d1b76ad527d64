using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.Domain.Refunds;

namespace Retail.Modules.Payments.Application.Operations.GetPaymentsStatus;

/// <summary>Breaker state, MTTR, the simulator's settings and the payment counts, for the admin payments page.</summary>
[AuthorizeRoles(Roles.Admin)]
public sealed record GetPaymentsStatusQuery : IQuery<PaymentsStatusDto>;

public sealed record PaymentsStatusDto(
    CircuitSnapshot Circuit,
    SimulatorSettingsDto Simulator,
    GatewayTotals Gateway,
    int PendingPayments,
    int SucceededPayments,
    int DeclinedPayments,
    int AbandonedPayments,
    int PendingRefunds,
    int SucceededRefunds);

public sealed class GetPaymentsStatusQueryHandler(
    IPaymentsDbContext db,
    IPaymentCircuitMonitor circuit,
    IPaymentGatewaySimulatorControl simulator) : IQueryHandler<GetPaymentsStatusQuery, PaymentsStatusDto>
{
    public async ValueTask<Result<PaymentsStatusDto>> Handle(GetPaymentsStatusQuery query, CancellationToken cancellationToken)
    {
        var payments = await db.Payments.AsNoTracking().GroupBy(p => p.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var refunds = await db.Refunds.AsNoTracking().GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        int PaymentsIn(PaymentStatus status) => payments.SingleOrDefault(p => p.Key == status)?.Count ?? 0;
        int RefundsIn(RefundStatus status) => refunds.SingleOrDefault(r => r.Key == status)?.Count ?? 0;
        return new PaymentsStatusDto(
            circuit.Snapshot(),
            simulator.Current,
            simulator.Totals(),
            PaymentsIn(PaymentStatus.Pending),
            PaymentsIn(PaymentStatus.Succeeded),
            PaymentsIn(PaymentStatus.Declined),
            PaymentsIn(PaymentStatus.Abandoned),
            RefundsIn(RefundStatus.Pending),
            RefundsIn(RefundStatus.Succeeded));
    }
}
