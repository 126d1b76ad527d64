using Microsoft.Extensions.Logging;
using Retail.Modules.Payments.Application.Abstractions;

namespace Retail.Modules.Payments.Infrastructure.Resilience;

/// <summary>
/// What the payments breaker is doing, fed by its callbacks: state, when the outage began, and MTTR (breaker first
/// opened → first successful call that closed it again; a failed half-open probe does not restart the clock).
/// Singleton, like the pipeline it watches.
/// </summary>
internal sealed class PaymentCircuitState : IPaymentCircuitMonitor
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly PaymentsMetrics _metrics;
    private readonly ILogger<PaymentCircuitState> _logger;
    private CircuitStatus _state = CircuitStatus.Closed;
    private DateTimeOffset? _outageStartedAt;
    private DateTimeOffset? _lastTransitionAt;
    private DateTimeOffset _blockedUntil;
    private TimeSpan? _lastMttr;
    private DateTimeOffset? _lastRecoveredAt;
    private long _openings;

    public PaymentCircuitState(TimeProvider time, PaymentsMetrics metrics, ILogger<PaymentCircuitState> logger)
    {
        _time = time;
        _metrics = metrics;
        _logger = logger;
        metrics.Observe(this);
    }

    /// <summary>
    /// False only while the breaker is open and its break has not elapsed. (The breaker moves to half-open lazily, on
    /// the next call after the break, so "open" alone would keep a background job from ever making that call.)
    /// </summary>
    public bool IsAcceptingCalls
    {
        get
        {
            lock (_gate)
            {
                return _state != CircuitStatus.Open || _time.GetUtcNow() >= _blockedUntil;
            }
        }
    }

    public CircuitSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new CircuitSnapshot(_state, _outageStartedAt, _lastTransitionAt, _lastMttr, _lastRecoveredAt, _openings);
        }
    }

    public void Opened(TimeSpan breakDuration, string? cause)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            // Re-opening after a failed probe continues the same outage: MTTR counts from its first opening.
            _outageStartedAt ??= now;
            _state = CircuitStatus.Open;
            _blockedUntil = now + breakDuration;
            _lastTransitionAt = now;
            _openings++;
        }

        _metrics.Transition(CircuitStatus.Open);
        _logger.LogWarning(
            "Payment circuit opened for {BreakSeconds} s after {Cause}; payments fail fast and are accepted as pending",
            breakDuration.TotalSeconds, cause);
    }

    public void HalfOpened()
    {
        lock (_gate)
        {
            _state = CircuitStatus.HalfOpen;
            _lastTransitionAt = _time.GetUtcNow();
        }

        _metrics.Transition(CircuitStatus.HalfOpen);
        _logger.LogInformation("Payment circuit half-open: letting one probe through to the provider");
    }

    public void Closed()
    {
        var now = _time.GetUtcNow();
        TimeSpan? mttr = null;
        lock (_gate)
        {
            if (_outageStartedAt is { } started)
            {
                mttr = now - started;
                _lastMttr = mttr;
                _lastRecoveredAt = now;
            }

            _outageStartedAt = null;
            _state = CircuitStatus.Closed;
            _lastTransitionAt = now;
        }

        _metrics.Transition(CircuitStatus.Closed);
        _logger.LogInformation("Payment circuit closed: the provider answers again; time to recover {MttrSeconds} s", mttr?.TotalSeconds);
    }
}
