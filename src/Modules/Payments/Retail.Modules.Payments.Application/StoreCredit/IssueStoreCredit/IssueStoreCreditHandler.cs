using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.Application.StoreCredit.IssueStoreCredit;

/// <summary>Runs inside the unit of work: the balance change, its ledger entry and the StoreCreditIssued event commit together.</summary>
public sealed class IssueStoreCreditHandler(IPaymentsDbContext db, StoreCreditLedger ledger, TimeProvider time)
    : ICommandHandler<IntegrationEvents.IssueStoreCredit, StoreCreditBalanceDto>
{
    /// <summary>Ledger keys are namespaced by operation so a caller's key for an issue can never collide with a payment's.</summary>
    public static string LedgerKey(string idempotencyKey) => "issue:" + idempotencyKey;

    public static Error KeyReused(string key) => Error.Unprocessable(
        "payments.idempotency_key_reused", $"The idempotency key '{key}' was already used for different store credit.");

    public async ValueTask<Result<StoreCreditBalanceDto>> Handle(IntegrationEvents.IssueStoreCredit command, CancellationToken cancellationToken)
    {
        var customerId = command.CustomerId.Trim();
        var result = await ledger.CreditAsync(customerId, command.Amount, command.Reason, command.Reference, LedgerKey(command.IdempotencyKey), cancellationToken);
        if (result.Outcome == LedgerOutcome.Applied)
        {
            db.Publish(new StoreCreditIssued(Guid.NewGuid(), time.GetUtcNow(), customerId, command.Amount, result.Balance, command.Reason.Trim(), command.Reference.Trim()));
        }

        if (result.Outcome == LedgerOutcome.AlreadyApplied
            && await db.StoreCreditEntries.AsNoTracking().SingleAsync(e => e.Id == result.EntryId, cancellationToken) is var seen
            && (seen.CustomerId != customerId || seen.Amount != command.Amount))
        {
            // Same key, different credit: answering with the earlier entry would silently drop this one, so refuse it
            // as ChargePayment and RefundPayment do.
            return KeyReused(command.IdempotencyKey);
        }

        // A repeated key changes nothing and answers with today's balance.
        var balance = result.Outcome == LedgerOutcome.Applied ? result.Balance : await ledger.BalanceOfAsync(customerId, cancellationToken);
        return new StoreCreditBalanceDto(customerId, balance);
    }
}
