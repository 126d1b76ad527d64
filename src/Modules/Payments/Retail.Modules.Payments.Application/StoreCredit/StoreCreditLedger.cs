using Microsoft.EntityFrameworkCore;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Domain.StoreCredit;

namespace Retail.Modules.Payments.Application.StoreCredit;

public enum LedgerOutcome
{
    Applied,

    /// <summary>The idempotency key was seen before: nothing changed, the earlier entry stands.</summary>
    AlreadyApplied,

    /// <summary>A debit the balance does not cover.</summary>
    InsufficientBalance,
}

public sealed record LedgerResult(LedgerOutcome Outcome, decimal Balance, Guid? EntryId);

/// <summary>
/// Changes store-credit balances. The balance is never read-then-written: one conditional UPDATE decides (a debit only
/// where the balance covers it) and the ledger entry is added in the same transaction, which the caller owns. The
/// entry's unique idempotency key makes a retried debit or credit a no-op.
/// </summary>
public sealed class StoreCreditLedger(IPaymentsDbContext db, TimeProvider time)
{
    /// <summary>Must run inside a transaction (the entry and the balance change commit together).</summary>
    public async Task<LedgerResult> DebitAsync(string customerId, decimal amount, string reason, string reference, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (await FindEntryAsync(idempotencyKey, cancellationToken) is { } seen)
        {
            return new LedgerResult(LedgerOutcome.AlreadyApplied, seen.BalanceAfter, seen.Id);
        }

        var changed = await db.StoreCreditAccounts
            .Where(a => a.CustomerId == customerId && a.Balance >= amount)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, a => a.Balance - amount), cancellationToken);
        if (changed == 0)
        {
            return new LedgerResult(LedgerOutcome.InsufficientBalance, await BalanceOfAsync(customerId, cancellationToken), null);
        }

        var balance = await BalanceOfAsync(customerId, cancellationToken);
        var entry = StoreCreditEntry.Debit(customerId, amount, balance, reason, reference, idempotencyKey, time.GetUtcNow());
        db.StoreCreditEntries.Add(entry);
        return new LedgerResult(LedgerOutcome.Applied, balance, entry.Id);
    }

    /// <summary>Must run inside a transaction. Opens the account on the customer's first credit.</summary>
    public async Task<LedgerResult> CreditAsync(string customerId, decimal amount, string reason, string reference, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (await FindEntryAsync(idempotencyKey, cancellationToken) is { } seen)
        {
            return new LedgerResult(LedgerOutcome.AlreadyApplied, seen.BalanceAfter, seen.Id);
        }

        if (!await db.StoreCreditAccounts.AnyAsync(a => a.CustomerId == customerId, cancellationToken))
        {
            db.StoreCreditAccounts.Add(StoreCreditAccount.Open(customerId, time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }

        await db.StoreCreditAccounts
            .Where(a => a.CustomerId == customerId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, a => a.Balance + amount), cancellationToken);
        var balance = await BalanceOfAsync(customerId, cancellationToken);
        var entry = StoreCreditEntry.Credit(customerId, amount, balance, reason, reference, idempotencyKey, time.GetUtcNow());
        db.StoreCreditEntries.Add(entry);
        return new LedgerResult(LedgerOutcome.Applied, balance, entry.Id);
    }

    public async Task<decimal> BalanceOfAsync(string customerId, CancellationToken cancellationToken) =>
        await db.StoreCreditAccounts.AsNoTracking().Where(a => a.CustomerId == customerId).Select(a => (decimal?)a.Balance).SingleOrDefaultAsync(cancellationToken) ?? 0m;

    private Task<StoreCreditEntry?> FindEntryAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        db.StoreCreditEntries.AsNoTracking().SingleOrDefaultAsync(e => e.IdempotencyKey == idempotencyKey, cancellationToken);
}
