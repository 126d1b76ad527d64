using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
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
public sealed partial class StoreCreditLedger(IPaymentsDbContext db, TimeProvider time, ILogger<StoreCreditLedger> logger)
{
    /// <summary>Prefix of the entry key of a store-credit payment's debit: "charge:" + the payment's idempotency key.</summary>
    public const string ChargeKeyPrefix = "charge:";

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
            await OpenAccountAsync(customerId, cancellationToken);
        }

        await db.StoreCreditAccounts
            .Where(a => a.CustomerId == customerId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, a => a.Balance + amount), cancellationToken);
        var balance = await BalanceOfAsync(customerId, cancellationToken);
        var entry = StoreCreditEntry.Credit(customerId, amount, balance, reason, reference, idempotencyKey, time.GetUtcNow());
        db.StoreCreditEntries.Add(entry);
        return new LedgerResult(LedgerOutcome.Applied, balance, entry.Id);
    }

    /// <summary>
    /// Opens the customer's account. Another first credit for the same customer (another instance, another scope) may
    /// also have seen "no account" and opened it first: the unique index then refuses ours, and the credit goes onto the
    /// winner's account like any later one — nothing is lost and nobody gets a 500. Inside a transaction the refused save
    /// is rolled back to EF's savepoint, so the transaction goes on.
    /// </summary>
    private async Task OpenAccountAsync(string customerId, CancellationToken cancellationToken)
    {
        var account = StoreCreditAccount.Open(customerId, time.GetUtcNow());
        db.StoreCreditAccounts.Add(account);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.StoreCreditAccounts.Entry(account).State = EntityState.Detached;
            if (!await db.StoreCreditAccounts.AsNoTracking().AnyAsync(a => a.CustomerId == customerId, cancellationToken))
            {
                throw; // not the unique index: no other account is there
            }

            LogAccountOpenedConcurrently(logger, customerId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A concurrent first store credit opened the account of customer {CustomerId} first; this credit is added to it")]
    private static partial void LogAccountOpenedConcurrently(ILogger logger, string customerId);

    public async Task<decimal> BalanceOfAsync(string customerId, CancellationToken cancellationToken) =>
        await db.StoreCreditAccounts.AsNoTracking().Where(a => a.CustomerId == customerId).Select(a => (decimal?)a.Balance).SingleOrDefaultAsync(cancellationToken) ?? 0m;

    /// <summary>The debit a store-credit payment took under its idempotency key (the entry's key is "charge:" + that key), if any.</summary>
    public Task<StoreCreditEntry?> FindChargeAsync(string paymentIdempotencyKey, CancellationToken cancellationToken) =>
        FindEntryAsync(ChargeKeyPrefix + paymentIdempotencyKey, cancellationToken);

    private Task<StoreCreditEntry?> FindEntryAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        db.StoreCreditEntries.AsNoTracking().SingleOrDefaultAsync(e => e.IdempotencyKey == idempotencyKey, cancellationToken);
}
