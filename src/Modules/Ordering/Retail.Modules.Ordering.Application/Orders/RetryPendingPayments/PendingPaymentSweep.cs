using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Application.Orders.Payments;
using Retail.Modules.Ordering.Domain.Orders;

namespace Retail.Modules.Ordering.Application.Orders.RetryPendingPayments;

/// <summary>
/// Degraded mode (SPEC A3): completes the payments of orders accepted while the provider was down, with the same keys,
/// and cancels (releasing their stock) those past their deadline. Runs as the recurring job
/// <c>ordering-payment-retry</c>; its work list is the Orders table, so a restart loses nothing.
/// </summary>
public sealed class PendingPaymentSweep(IOrderingDbContext db, OrderPaymentProcessor processor, ILogger<PendingPaymentSweep> logger)
{
    public const string JobId = "ordering-payment-retry";
    public const int BatchSize = 100;

    public async Task<PaymentSweepReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var pending = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.PaymentPending || (o.Status == OrderStatus.Cancelled && o.StockReleasedAt == null))
            .OrderBy(o => o.PlacedAt)
            .Select(o => o.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var report = new PaymentSweepReport();
        foreach (var id in pending)
        {
            var progress = await processor.ProcessAsync(id, cancellationToken);
            report = progress switch
            {
                OrderPaymentProgress.Paid => report with { Paid = report.Paid + 1 },
                OrderPaymentProgress.Declined or OrderPaymentProgress.Cancelled => report with { Cancelled = report.Cancelled + 1 },
                OrderPaymentProgress.Pending => report with { StillPending = report.StillPending + 1 },
                _ => report,
            };
        }

        if (pending.Count > 0)
        {
            logger.LogInformation("Payment retry: {Paid} paid, {Cancelled} cancelled, {Pending} still pending", report.Paid, report.Cancelled, report.StillPending);
        }

        return report;
    }
}

public sealed record PaymentSweepReport(int Paid = 0, int Cancelled = 0, int StillPending = 0);
