using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Domain.Payments;

namespace Retail.Modules.Payments.Infrastructure.Gateway;

/// <summary>
/// A payment provider in memory: configurable latency, transient failures, hangs, a full outage and card endings that
/// always decline, changeable at run time. Like a real provider it is idempotent per key (the first final answer is
/// kept and replayed) and it counts calls and money movements per key, so tests can prove nothing was charged twice.
/// Singleton: its memory of keys is the provider's; with <see cref="SimulatorSettings.StateFile"/> that memory survives a
/// restart (each final answer is appended to the file before it is returned, and the file is replayed at start).
/// </summary>
internal sealed class PaymentGatewaySimulator(
    IOptions<SimulatorSettings> options,
    TimeProvider time,
    IRandomSource random,
    ILogger<PaymentGatewaySimulator> logger) : IPaymentGateway, IPaymentGatewaySimulatorControl
{
    /// <summary>How long a simulated hang lasts; far beyond any attempt timeout, so the pipeline always cuts it.</summary>
    public static readonly TimeSpan HangDuration = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, GatewayResponse> _charges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GatewayResponse> _refunds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (decimal Amount, decimal Refunded)> _chargedByReference = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _callsPerKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _moneyMovementsPerKey = new(StringComparer.Ordinal);
    private SimulatorSettingsDto _settings = ToDto(options.Value);
    private long _calls;
    private long _chargeCount;
    private long _refundCount;
    private long _declines;
    private long _transientFailures;
    private long _timeouts;
    private readonly SimulatorStateFile? _state = SimulatorStateFile.Open(options.Value.StateFile);
    private bool _loaded;

    public SimulatorSettingsDto Current => Volatile.Read(ref _settings);

    public void Apply(SimulatorSettingsDto settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Volatile.Write(ref _settings, settings with { DeclineCardSuffixes = [.. settings.DeclineCardSuffixes] });
    }

    public GatewayTotals Totals() => new(
        Interlocked.Read(ref _calls), Interlocked.Read(ref _chargeCount), Interlocked.Read(ref _refundCount),
        Interlocked.Read(ref _declines), Interlocked.Read(ref _transientFailures), Interlocked.Read(ref _timeouts));

    /// <summary>Calls received with this key (charge or refund), including failed ones.</summary>
    public int CallsFor(string idempotencyKey) => _callsPerKey.GetValueOrDefault(idempotencyKey);

    /// <summary>Times money actually moved under this key: must never exceed 1.</summary>
    public int MoneyMovementsFor(string idempotencyKey) => _moneyMovementsPerKey.GetValueOrDefault(idempotencyKey);

    public async Task<GatewayResponse> ChargeAsync(GatewayCharge charge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charge);
        var settings = Current;
        await SimulateNetworkAsync(charge.IdempotencyKey, settings, cancellationToken);
        lock (_gate)
        {
            LoadOnce();
            if (_charges.TryGetValue(charge.IdempotencyKey, out var first))
            {
                return first;
            }

            GatewayResponse response;
            if (Declines(settings, charge))
            {
                Interlocked.Increment(ref _declines);
                response = new GatewayResponse(false, null, "card_declined");
            }
            else
            {
                var reference = "sim_ch_" + Guid.NewGuid().ToString("N")[..20];
                _chargedByReference[reference] = (charge.Amount, 0m);
                _moneyMovementsPerKey.AddOrUpdate(charge.IdempotencyKey, 1, (_, n) => n + 1);
                Interlocked.Increment(ref _chargeCount);
                response = new GatewayResponse(true, reference, null);
            }

            _state?.Append(new SimulatorStateLine("charge", charge.IdempotencyKey, response.Approved, response.Reference, response.DeclineReason, charge.Amount, null));
            _charges[charge.IdempotencyKey] = response;
            return response;
        }
    }

    public async Task<GatewayResponse> RefundAsync(GatewayRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        var settings = Current;
        await SimulateNetworkAsync(refund.IdempotencyKey, settings, cancellationToken);
        lock (_gate)
        {
            LoadOnce();
            if (_refunds.TryGetValue(refund.IdempotencyKey, out var first))
            {
                return first;
            }

            GatewayResponse response;
            if (!_chargedByReference.TryGetValue(refund.ChargeReference, out var charged) || charged.Refunded + refund.Amount > charged.Amount)
            {
                response = new GatewayResponse(false, null, "refund_not_possible");
            }
            else
            {
                _chargedByReference[refund.ChargeReference] = (charged.Amount, charged.Refunded + refund.Amount);
                _moneyMovementsPerKey.AddOrUpdate(refund.IdempotencyKey, 1, (_, n) => n + 1);
                Interlocked.Increment(ref _refundCount);
                response = new GatewayResponse(true, "sim_re_" + Guid.NewGuid().ToString("N")[..20], null);
            }

            _state?.Append(new SimulatorStateLine("refund", refund.IdempotencyKey, response.Approved, response.Reference, response.DeclineReason, refund.Amount, refund.ChargeReference));
            _refunds[refund.IdempotencyKey] = response;
            return response;
        }
    }

    /// <summary>Replays the state file into memory (under the lock, on first use).</summary>
    private void LoadOnce()
    {
        if (_loaded || _state is null)
        {
            _loaded = true;
            return;
        }

        _loaded = true;
        foreach (var line in _state.ReadAll())
        {
            var response = new GatewayResponse(line.Succeeded, line.Reference, line.Error);
            if (line.Kind == "charge")
            {
                _charges[line.Key] = response;
                if (line.Succeeded && line.Reference is not null)
                {
                    _chargedByReference[line.Reference] = (line.Amount, 0m);
                }
            }
            else
            {
                _refunds[line.Key] = response;
                if (line.Succeeded && line.ChargeReference is not null && _chargedByReference.TryGetValue(line.ChargeReference, out var charged))
                {
                    _chargedByReference[line.ChargeReference] = (charged.Amount, charged.Refunded + line.Amount);
                }
            }
        }

        logger.LogInformation("Payment simulator replayed {Charges} charges and {Refunds} refunds from its state file", _charges.Count, _refunds.Count);
    }

    /// <summary>The decline rule: a card whose number ends in one of the configured endings.</summary>
    public static bool Declines(SimulatorSettingsDto settings, GatewayCharge charge)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(charge);
        if (!string.Equals(charge.Method, "card", StringComparison.Ordinal))
        {
            return false;
        }

        var number = CardNumbers.Normalize(charge.Instrument);
        return settings.DeclineCardSuffixes.Any(suffix => suffix.Length > 0 && number.EndsWith(suffix, StringComparison.Ordinal));
    }

    private async Task SimulateNetworkAsync(string key, SimulatorSettingsDto settings, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        _callsPerKey.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (settings.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(settings.LatencyMs), time, cancellationToken);
        }

        if (settings.Outage)
        {
            Interlocked.Increment(ref _transientFailures);
            throw new PaymentGatewayUnavailableException("Payment provider unavailable (simulated outage).");
        }

        if (settings.TimeoutProbability > 0 && random.NextDouble() < settings.TimeoutProbability)
        {
            Interlocked.Increment(ref _timeouts);
            logger.LogDebug("Simulated gateway hangs on {Key}", key);
            await Task.Delay(HangDuration, time, cancellationToken);
            throw new PaymentGatewayUnavailableException("Payment provider did not answer (simulated hang).");
        }

        if (settings.FailureProbability > 0 && random.NextDouble() < settings.FailureProbability)
        {
            Interlocked.Increment(ref _transientFailures);
            throw new PaymentGatewayUnavailableException("Payment provider failed transiently (simulated).");
        }
    }

    private static SimulatorSettingsDto ToDto(SimulatorSettings settings) => new(
        (int)settings.Latency.TotalMilliseconds,
        Math.Clamp(settings.FailureProbability, 0, 1),
        Math.Clamp(settings.TimeoutProbability, 0, 1),
        settings.Outage,
        [.. settings.EffectiveDeclineCardSuffixes]);
}
