using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Domain.Refunds;

namespace Retail.Modules.Payments.Application.Refunds.SweepPendingRefunds;

/// <summary>
/// Completes refunds that were accepted while the provider was down. Runs as the recurring job
/// <c>payments-refund-sweep</c>; its work list is the Refunds table itself, so a restart (or Hangfire's in-memory
/// storage forgetting everything) loses nothing.
/// </summary>
public sealed class PendingRefundSweep(IPaymentsDbContext db, RefundAttempts attempts, IResilientPaymentExecutor executor, ILogger<PendingRefundSweep> logger)
{
    public const string JobId = "payments-refund-sweep";
    public const int BatchSize = 100;

    /// <summary>
    /// Tries up to <see cref="BatchSize"/> pending refunds once each, least-tried first (oldest first among equals); returns
    /// how many completed. Oldest first alone took the same oldest batch every run, so a batch of refunds that keep
    /// failing held back every newer one for ever; each attempt raises a refund's count, so the ones tried least come
    /// round next and every pending refund is reached, still at most once per run.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var pending = await db.Refunds.AsNoTracking()
            .Where(r => r.Status == RefundStatus.Pending)
            .OrderBy(r => r.Attempts)
            .ThenBy(r => r.CreatedAt)
            .Select(r => r.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var completed = 0;
        foreach (var id in pending)
        {
            if (!executor.IsAcceptingCalls)
            {
                // The breaker is open: every call would fail fast anyway; the next run picks the rest up.
                logger.LogInformation("Refund sweep stopped early: the payment provider is unavailable; {Left} refunds wait", pending.Count - completed);
                break;
            }

            var refund = await attempts.AttemptAsync(id, cancellationToken);
            if (refund.Status == RefundStatus.Succeeded)
            {
                completed++;
            }
        }

        if (pending.Count > 0)
        {
            logger.LogInformation("Refund sweep completed {Completed} of {Pending} pending refunds", completed, pending.Count);
        }

        return completed;
    }
}
