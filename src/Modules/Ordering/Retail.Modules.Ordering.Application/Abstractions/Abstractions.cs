using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Ordering.Domain.Carts;
using Retail.Modules.Ordering.Domain.Orders;

namespace Retail.Modules.Ordering.Application.Abstractions;

/// <summary>The Ordering tables as its handlers see them.</summary>
public interface IOrderingDbContext : IModuleDbContext
{
    DbSet<Cart> Carts { get; }

    DbSet<Order> Orders { get; }

    /// <summary>Handlers that own their transactions read a row again after a slow call; clearing makes that read see the database.</summary>
    ChangeTracker ChangeTracker { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>The module's unit of work, for handlers that commit their own short transactions (requests with IOwnsTransaction).</summary>
public interface IOrderingUnitOfWork : IUnitOfWork;

/// <summary>The checkout limit of SPEC A1 (sliding window per user; Redis-backed when configured).</summary>
public interface ICheckoutRateLimiter
{
    ValueTask<CheckoutRateDecision> TryAcquireAsync(string userId, CancellationToken cancellationToken);
}

public readonly record struct CheckoutRateDecision(bool Allowed, TimeSpan RetryAfter);

public enum CheckoutIdempotencyOutcome
{
    Started,
    Replay,
    Mismatch,
    InProgress,
}

/// <summary>A checkout attempt found unfinished: its order id (null for attempts recorded before ids were stored) and whether it is marked interrupted.</summary>
public sealed record UnfinishedCheckout(string Caller, string Key, Guid? OrderId, bool Interrupted);

public sealed record CheckoutIdempotencyDecision(CheckoutIdempotencyOutcome Outcome, int? ResponseStatus = null, string? ResponseBody = null);

/// <summary>The request-id table of the Ordering module (caller = user id, key = Idempotency-Key).</summary>
public interface ICheckoutIdempotency
{
    /// <summary>Records the attempt with the id of the order it is about to create, so a recovery can find its work.</summary>
    Task<CheckoutIdempotencyDecision> BeginAsync(string caller, string key, string requestHash, Guid orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Inside the order's transaction: true while the attempt is still in progress — and then no recovery can take it
    /// over until that transaction ends; false when <see cref="MarkInterruptedAsync"/> already did (its order must not be stored).
    /// </summary>
    Task<bool> StillInProgressAsync(string caller, string key, CancellationToken cancellationToken);

    /// <summary>Attempts in progress since before <paramref name="startedBefore"/>, and attempts marked interrupted whose release did not finish.</summary>
    Task<IReadOnlyList<UnfinishedCheckout>> FindUnfinishedAsync(DateTimeOffset startedBefore, int take, CancellationToken cancellationToken);

    /// <summary>Takes over an attempt still in progress (see <see cref="StillInProgressAsync"/>); false when it finished meanwhile.</summary>
    Task<bool> MarkInterruptedAsync(string caller, string key, CancellationToken cancellationToken);

    /// <summary>Forgets an interrupted attempt once what it held is released, so the customer may use the key again.</summary>
    Task ForgetInterruptedAsync(string caller, string key, CancellationToken cancellationToken);

    Task CompleteAsync(string caller, string key, int responseStatus, string responseBody, CancellationToken cancellationToken);

    Task AbandonAsync(string caller, string key, CancellationToken cancellationToken);

    /// <summary>Read-only: whether a request was already seen under this key (done or in progress).</summary>
    Task<bool> IsKnownAsync(string caller, string key, CancellationToken cancellationToken);
}

/// <summary>
/// Keeps payment details (card numbers...) unreadable at rest while an order waits for its payment (ASP.NET Data
/// Protection in Infrastructure). Raw details are never stored.
/// </summary>
public interface IPaymentDetailsProtector
{
    string? Protect(IReadOnlyDictionary<string, string>? details);

    IReadOnlyDictionary<string, string>? Unprotect(string? protectedDetails);
}

/// <summary>
/// The checkout bulkhead: at most a fixed number of checkouts work against the database at once, a bounded number wait
/// briefly, and the rest are refused at once (503 "System experiencing high traffic...") instead of timing out.
/// </summary>
public interface ICheckoutGate
{
    /// <summary>A lease to dispose when done, or null when the gate is full (queue full or waited too long).</summary>
    ValueTask<IDisposable?> TryEnterAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One checkout at a time per customer on this instance: a customer's further attempts wait for the one running (outside
/// the checkout gate, holding nothing), so each starts knowing how the previous ended — a flash cap reached or an item
/// sold out is then answered before the gate instead of a storm of one customer's attempts queueing at it.
/// </summary>
public interface ICheckoutTurns
{
    /// <summary>Waits for the customer's turn; dispose the answer to pass it on.</summary>
    ValueTask<IDisposable> TakeAsync(string userId, CancellationToken cancellationToken);
}
