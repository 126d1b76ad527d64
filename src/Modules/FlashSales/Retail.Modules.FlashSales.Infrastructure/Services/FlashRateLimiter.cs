using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Infrastructure.Redis;
using Retail.Modules.FlashSales.Application;
using Retail.Modules.FlashSales.Application.Abstractions;

namespace Retail.Modules.FlashSales.Infrastructure.Services;

/// <summary>SPEC A1 per customer + SKU over the platform's sliding-window limiter, key <c>flash:{customer}:{sku}</c>.</summary>
internal sealed class FlashRateLimiter(ISlidingWindowRateLimiter limiter, IOptionsMonitor<FlashSalesOptions> options) : IFlashRateLimiter
{
    public async ValueTask<FlashRateDecision> TryAcquireAsync(string customerId, string sku, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var decision = await limiter.TryAcquireAsync($"flash:{customerId}:{sku}", current.PerUserSkuPermitLimit, current.PerUserSkuWindow, cancellationToken);
        return new FlashRateDecision(decision.Allowed, decision.RetryAfter);
    }
}
