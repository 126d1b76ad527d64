using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Concurrency;
using Retail.BuildingBlocks.Infrastructure.Idempotency;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.BuildingBlocks.Infrastructure.Redis;
using Retail.Modules.Ordering.Application;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Application.Orders.PlaceOrder;

namespace Retail.Modules.Ordering.Infrastructure.Services;

/// <summary>SPEC A1 over the platform's sliding-window limiter (Redis when configured, in-process otherwise), key <c>checkout:{userId}</c>.</summary>
internal sealed class CheckoutRateLimiter(ISlidingWindowRateLimiter limiter, IOptionsMonitor<OrderingOptions> options) : ICheckoutRateLimiter
{
    public async ValueTask<CheckoutRateDecision> TryAcquireAsync(string userId, CancellationToken cancellationToken)
    {
        var limit = options.CurrentValue.CheckoutRateLimit;
        var decision = await limiter.TryAcquireAsync($"checkout:{userId}", limit.PermitLimit, limit.Window, cancellationToken);
        return new CheckoutRateDecision(decision.Allowed, decision.RetryAfter);
    }
}

/// <summary>The Ordering module's request-id table (the platform's IdempotencyStore keyed "ordering").</summary>
internal sealed class CheckoutIdempotency(
    [FromKeyedServices(OrderingModule.Name)] IdempotencyStore store,
    [FromKeyedServices(OrderingModule.Name)] ModuleDbContext context,
    CheckoutKeyLookups lookups) : ICheckoutIdempotency
{
    public async Task<CheckoutIdempotencyDecision> BeginAsync(string caller, string key, string requestHash, Guid orderId, CancellationToken cancellationToken)
    {
        var decision = await store.BeginAsync(caller, key, requestHash, orderId.ToString(), cancellationToken);
        var outcome = decision.Outcome switch
        {
            IdempotencyOutcome.Started => CheckoutIdempotencyOutcome.Started,
            IdempotencyOutcome.Replay => CheckoutIdempotencyOutcome.Replay,
            IdempotencyOutcome.Mismatch => CheckoutIdempotencyOutcome.Mismatch,
            _ => CheckoutIdempotencyOutcome.InProgress,
        };
        return new CheckoutIdempotencyDecision(outcome, decision.ResponseStatus, decision.ResponseBody);
    }

    public Task CompleteAsync(string caller, string key, int responseStatus, string responseBody, CancellationToken cancellationToken) =>
        store.CompleteAsync(caller, key, responseStatus, responseBody, cancellationToken);

    public Task AbandonAsync(string caller, string key, CancellationToken cancellationToken) =>
        store.AbandonAsync(caller, key, cancellationToken);

    public Task<bool> StillInProgressAsync(string caller, string key, CancellationToken cancellationToken) =>
        store.StillInProgressAsync(caller, key, cancellationToken);

    public async Task<IReadOnlyList<UnfinishedCheckout>> FindUnfinishedAsync(DateTimeOffset startedBefore, int take, CancellationToken cancellationToken)
    {
        // Through the CompletedAt index: only the records still in progress are read, not every key ever used.
        var rows = await context.IdempotencyRecords.AsNoTracking()
            .Where(r => r.CompletedAt == null && (r.CreatedAt < startedBefore || r.ResponseStatus == PlaceOrderCommandHandler.StatusInterrupted))
            .OrderBy(r => r.CreatedAt)
            .Take(take)
            .Select(r => new { r.Caller, r.Key, r.ResponseBody, r.ResponseStatus })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new UnfinishedCheckout(
            r.Caller,
            r.Key,
            Guid.TryParse(r.ResponseBody, out var orderId) ? orderId : null,
            r.ResponseStatus == PlaceOrderCommandHandler.StatusInterrupted))];
    }

    /// <summary>The record stays in progress (a repeat is answered 409) with the interrupted status as the mark.</summary>
    public async Task<bool> MarkInterruptedAsync(string caller, string key, CancellationToken cancellationToken) =>
        await context.IdempotencyRecords.Where(r => r.Caller == caller && r.Key == key && r.CompletedAt == null && r.ResponseStatus == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ResponseStatus, PlaceOrderCommandHandler.StatusInterrupted), cancellationToken) == 1;

    public Task ForgetInterruptedAsync(string caller, string key, CancellationToken cancellationToken) =>
        context.IdempotencyRecords.Where(r => r.Caller == caller && r.Key == key && r.CompletedAt == null && r.ResponseStatus == PlaceOrderCommandHandler.StatusInterrupted)
            .ExecuteDeleteAsync(cancellationToken);

    public Task<bool> IsKnownAsync(string caller, string key, CancellationToken cancellationToken) =>
        lookups.IsKnownAsync(caller, key, cancellationToken);
}

/// <summary>
/// "Has this caller used this idempotency key?", asked by every attempt refused early (a retry must get its stored
/// answer). One read at a time for all the attempts waiting (<see cref="BatchedReads{TKey,TValue}"/>), each read begun
/// after the attempts it answers arrived, so a storm of late buyers costs one query per batch instead of one each.
/// </summary>
internal sealed class CheckoutKeyLookups
{
    private readonly IServiceScopeFactory _scopes;
    private readonly BatchedReads<(string Caller, string Key), bool> _reads;

    public CheckoutKeyLookups(IServiceScopeFactory scopes)
    {
        _scopes = scopes;
        _reads = new BatchedReads<(string Caller, string Key), bool>(LoadAsync);
    }

    /// <summary>How many reads the database has served (for tests: a storm shares them).</summary>
    public long ReadsStarted => _reads.ReadsStarted;

    public Task<bool> IsKnownAsync(string caller, string key, CancellationToken cancellationToken) => _reads.ReadAsync((caller, key), cancellationToken);

    private async Task<IReadOnlyDictionary<(string Caller, string Key), bool>> LoadAsync(IReadOnlyList<(string Caller, string Key)> wanted, CancellationToken cancellationToken)
    {
        var callers = wanted.Select(w => w.Caller).Distinct().ToList();
        var keys = wanted.Select(w => w.Key).Distinct().ToList();
        await using var scope = _scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(OrderingModule.Name);
        var rows = await context.IdempotencyRecords.AsNoTracking()
            .Where(r => callers.Contains(r.Caller) && keys.Contains(r.Key))
            .Select(r => new { r.Caller, r.Key })
            .ToListAsync(cancellationToken);
        // Pairs each row with the attempts it answers (callers x keys also brings rows of other pairs), ignoring case as
        // SQL Server's default collation does. Erring towards "known" is safe: it only sends an attempt the normal way.
        var found = rows.Select(r => Pair(r.Caller, r.Key)).ToHashSet(StringComparer.Ordinal);
        return wanted.Distinct().ToDictionary(w => w, w => found.Contains(Pair(w.Caller, w.Key)));
    }

    private static string Pair(string caller, string key) => caller.ToUpperInvariant() + "\n" + key.ToUpperInvariant();
}

/// <summary>Payment details at rest only in Data Protection's encrypted form (keys shared through Redis when configured).</summary>
internal sealed class DataProtectionPaymentDetailsProtector(IDataProtectionProvider provider) : IPaymentDetailsProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Retail.Ordering.PaymentDetails.v1");

    public string? Protect(IReadOnlyDictionary<string, string>? details) =>
        details is null || details.Count == 0 ? null : _protector.Protect(JsonSerializer.Serialize(details));

    public IReadOnlyDictionary<string, string>? Unprotect(string? protectedDetails) =>
        string.IsNullOrEmpty(protectedDetails) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(protectedDetails));
}
