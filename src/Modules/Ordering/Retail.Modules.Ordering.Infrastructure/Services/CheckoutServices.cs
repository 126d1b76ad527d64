using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Infrastructure.Idempotency;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.BuildingBlocks.Infrastructure.Redis;
using Retail.Modules.Ordering.Application;
using Retail.Modules.Ordering.Application.Abstractions;

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
    [FromKeyedServices(OrderingModule.Name)] ModuleDbContext context) : ICheckoutIdempotency
{
    public async Task<CheckoutIdempotencyDecision> BeginAsync(string caller, string key, string requestHash, CancellationToken cancellationToken)
    {
        var decision = await store.BeginAsync(caller, key, requestHash, cancellationToken);
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

    public Task<bool> IsKnownAsync(string caller, string key, CancellationToken cancellationToken) =>
        context.IdempotencyRecords.AsNoTracking().AnyAsync(r => r.Caller == caller && r.Key == key, cancellationToken);
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
