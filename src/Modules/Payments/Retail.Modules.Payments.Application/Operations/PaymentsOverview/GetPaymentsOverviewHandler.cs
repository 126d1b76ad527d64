using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.Domain.Refunds;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.Application.Operations.PaymentsOverview;

/// <summary>Answers the public <see cref="GetPaymentsOverview"/> (ADR 0004) from the breaker state and the payment counts.</summary>
public sealed class GetPaymentsOverviewHandler(IPaymentsDbContext db, IPaymentCircuitMonitor circuit) : IQueryHandler<GetPaymentsOverview, PaymentsOverviewDto>
{
    public async ValueTask<Result<PaymentsOverviewDto>> Handle(GetPaymentsOverview query, CancellationToken cancellationToken)
    {
        var payments = await db.Payments.AsNoTracking().GroupBy(p => p.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var refunds = await db.Refunds.AsNoTracking().GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        int PaymentsIn(PaymentStatus status) => payments.SingleOrDefault(p => p.Key == status)?.Count ?? 0;
        int RefundsIn(RefundStatus status) => refunds.SingleOrDefault(r => r.Key == status)?.Count ?? 0;
        var snapshot = circuit.Snapshot();
        return new PaymentsOverviewDto(
            snapshot.State.ToString(),
            snapshot.OpenedAt,
            snapshot.LastMttr,
            snapshot.LastRecoveredAt,
            snapshot.Openings,
            PaymentsIn(PaymentStatus.Pending),
            PaymentsIn(PaymentStatus.Succeeded),
            PaymentsIn(PaymentStatus.Declined),
            PaymentsIn(PaymentStatus.Abandoned),
            RefundsIn(RefundStatus.Pending),
            RefundsIn(RefundStatus.Succeeded));
    }
}
