using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Retail.Modules.Payments.Application.Abstractions;

namespace Retail.Modules.Payments.Infrastructure.Resilience;

/// <summary>
/// The one named Polly pipeline every payment method goes through (SPEC A2, M2), outermost first:
/// total timeout (an answer within 5 s) → retry ×3, exponential with jitter, transient failures only → circuit breaker
/// (3 failures in a row within 60 s open it for 30 s, then one probe) → per-attempt timeout (2 s).
/// The breaker sits inside the retry so each attempt counts, and the retry never retries a
/// <see cref="BrokenCircuitException"/>: an open breaker answers at once. A decline is a result, not an exception,
/// so it is neither retried nor counted against the provider.
/// </summary>
internal static class PaymentsPipeline
{
    public const string Name = "payments";

    public static IServiceCollection AddPaymentsPipeline(this IServiceCollection services)
    {
        services.AddResiliencePipeline(Name, (builder, context) =>
        {
            // The host's TimeProvider (FakeTimeProvider in tests) drives every delay, timeout and break duration.
            builder.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
            Configure(builder, context.ServiceProvider.GetRequiredService<IOptions<PaymentsResilienceOptions>>().Value,
                context.ServiceProvider.GetRequiredService<PaymentCircuitState>());
        });
        return services;
    }

    /// <summary>
    /// The strategies with the configured numbers. Also built once at start without a breaker state to report to
    /// (<paramref name="circuit"/> null), to check the settings against Polly's own rules (<see cref="PaymentsResilienceOptionsValidator"/>).
    /// </summary>
    internal static void Configure(ResiliencePipelineBuilder builder, PaymentsResilienceOptions options, PaymentCircuitState? circuit)
    {
        var transient = new PredicateBuilder().Handle<TransientPaymentException>().Handle<TimeoutRejectedException>();
        builder
            .AddTimeout(new TimeoutStrategyOptions { Name = "payments-total-timeout", Timeout = options.TotalTimeout })
            .AddRetry(new RetryStrategyOptions
            {
                Name = "payments-retry",
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                Name = "payments-breaker",
                ShouldHandle = transient,
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                OnOpened = args =>
                {
                    circuit?.Opened(args.BreakDuration, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    circuit?.HalfOpened();
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    circuit?.Closed();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "payments-attempt-timeout", Timeout = options.AttemptTimeout });
    }
}
