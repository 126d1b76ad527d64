using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Retail.Modules.Ordering.Application;
using Retail.Modules.Ordering.Application.Abstractions;

namespace Retail.Modules.Ordering.Infrastructure.Services;

/// <summary>
/// The checkout bulkhead over <see cref="ConcurrencyLimiter"/> (oldest waiter first). A singleton per instance: the
/// database behind it is what it protects. Refusals are counted on the <c>retail.checkout.gate.refused</c> meter.
/// </summary>
internal sealed class CheckoutGate : ICheckoutGate, IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeSpan _queueTimeout;
    private readonly Meter _meter = new("Retail.Ordering");
    private readonly Counter<long> _refused;

    public CheckoutGate(IOptions<OrderingOptions> options)
    {
        var gate = options.Value.CheckoutGate;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, gate.PermitLimit),
            QueueLimit = Math.Max(0, gate.QueueLimit),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _queueTimeout = gate.QueueTimeout;
        _refused = _meter.CreateCounter<long>("retail.checkout.gate.refused", description: "Checkouts refused by the bulkhead (503)");
    }

    public async ValueTask<IDisposable?> TryEnterAsync(CancellationToken cancellationToken)
    {
        var lease = _limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_queueTimeout);
            try
            {
                lease = await _limiter.AcquireAsync(1, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _refused.Add(1);
                return null;
            }
        }

        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        _refused.Add(1);
        return null;
    }

    public void Dispose()
    {
        _limiter.Dispose();
        _meter.Dispose();
    }
}
