using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.FlashSales.IntegrationEvents;
using Retail.Modules.Ordering.Application.Abstractions;

namespace Retail.Modules.Ordering.Application.Orders.PlaceOrder;

/// <summary>
/// Gives back what a checkout held when its process died mid-way (<c>kill -9</c>, a crash, a host that did not drain):
/// flash units claimed and stock reserved, committed in their own modules, with the order never stored — nothing else
/// would ever release them, and the customer's key would answer "still being processed" for good. Every attempt records
/// the id of the order it is creating before it claims anything (<see cref="ICheckoutIdempotency.BeginAsync"/>); an
/// attempt still in progress after <see cref="OrderingOptions.InterruptedCheckoutAfter"/> is taken over in one Ordering
/// transaction: marked interrupted unless its order exists (then only its answer was lost: it is completed, and the
/// order's own sweeps finish the order). A marked attempt's stock and flash units are released (both idempotent), then
/// its key is forgotten. The attempt, if it was only slow and not dead, asks its record in the transaction that stores
/// its order (<see cref="ICheckoutIdempotency.StillInProgressAsync"/>) and stores nothing once taken over, so a release
/// here never leaves an order without its units. Runs as the recurring job <c>ordering-interrupted-checkouts</c>; a run
/// that fails part-way leaves marked attempts that the next run releases.
/// </summary>
public sealed partial class InterruptedCheckoutRecovery(
    IOrderingDbContext db,
    IOrderingUnitOfWork unitOfWork,
    ICheckoutIdempotency idempotency,
    IRequestSender sender,
    IOptions<OrderingOptions> options,
    TimeProvider time,
    ILogger<InterruptedCheckoutRecovery> logger)
{
    public const string JobId = "ordering-interrupted-checkouts";
    public const int BatchSize = 100;

    private const string Reason = "checkout interrupted before its order was stored";

    public async Task<InterruptedCheckoutReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var startedBefore = time.GetUtcNow() - options.Value.InterruptedCheckoutAfter;
        var report = new InterruptedCheckoutReport();
        foreach (var attempt in await idempotency.FindUnfinishedAsync(startedBefore, BatchSize, cancellationToken))
        {
            var outcome = attempt.Interrupted ? TakeOver.Interrupted : await TakeOverAsync(attempt, cancellationToken);
            if (outcome == TakeOver.OrderStored)
            {
                report = report with { Answered = report.Answered + 1 };
                continue;
            }

            if (outcome == TakeOver.Finished)
            {
                continue;
            }

            if (attempt.OrderId is { } orderId)
            {
                await ReleaseAsync(new ReleaseStock(orderId, Reason), cancellationToken);
                await ReleaseAsync(new ReleaseFlashAllocation(orderId, Reason), cancellationToken);
            }

            await idempotency.ForgetInterruptedAsync(attempt.Caller, attempt.Key, cancellationToken);
            LogReleased(logger, attempt.OrderId, attempt.Caller);
            report = report with { Released = report.Released + 1 };
        }

        return report;
    }

    /// <summary>Marks the attempt interrupted, unless it finished meanwhile or its order was stored (then answers it).</summary>
    private Task<TakeOver> TakeOverAsync(UnfinishedCheckout attempt, CancellationToken cancellationToken) =>
        unitOfWork.ExecuteAsync(
            async () =>
            {
                // The mark comes first: from here the attempt's own transaction cannot store its order any more, so the
                // look for the order below cannot miss one that commits after it.
                if (!await idempotency.MarkInterruptedAsync(attempt.Caller, attempt.Key, cancellationToken))
                {
                    return TakeOver.Finished;
                }

                if (attempt.OrderId is { } orderId && await db.Orders.AnyAsync(o => o.Id == orderId, cancellationToken))
                {
                    await idempotency.CompleteAsync(attempt.Caller, attempt.Key, PlaceOrderCommandHandler.StatusPending, orderId.ToString(), cancellationToken);
                    return TakeOver.OrderStored;
                }

                return TakeOver.Interrupted;
            },
            _ => true,
            cancellationToken);

    private async Task ReleaseAsync<TCommand>(TCommand command, CancellationToken cancellationToken)
        where TCommand : ICommand
    {
        var released = await sender.Send(command, cancellationToken);
        if (!released.IsSuccess)
        {
            // Kept marked: the next run tries again.
            throw new InvalidOperationException($"{typeof(TCommand).Name} failed: {released.Error.Code}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released the stock and flash units of interrupted checkout {OrderId} for {UserId}")]
    private static partial void LogReleased(ILogger logger, Guid? orderId, string userId);

    private enum TakeOver
    {
        Finished,
        OrderStored,
        Interrupted,
    }
}

/// <summary>What one run did: attempts whose held units were released, and attempts whose stored order only lacked its answer.</summary>
public sealed record InterruptedCheckoutReport(int Released = 0, int Answered = 0);
