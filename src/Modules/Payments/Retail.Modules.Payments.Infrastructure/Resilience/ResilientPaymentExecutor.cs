using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;
using Retail.Modules.Payments.Application.Abstractions;

namespace Retail.Modules.Payments.Infrastructure.Resilience;

/// <summary>Runs payment methods through the <c>payments</c> pipeline and turns whatever happened into an outcome.</summary>
internal sealed class ResilientPaymentExecutor(
    ResiliencePipelineProvider<string> pipelines,
    PaymentCircuitState circuit,
    PaymentsMetrics metrics,
    ILogger<ResilientPaymentExecutor> logger) : IResilientPaymentExecutor
{
    private const string Charge = "charge";
    private const string Refund = "refund";

    public bool IsAcceptingCalls => circuit.IsAcceptingCalls;

    public Task<ProviderOutcome> ChargeAsync(IPaymentMethod method, PaymentMethodCharge charge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        return ExecuteAsync(Charge, method, ct => method.ChargeAsync(charge, ct), cancellationToken);
    }

    public Task<ProviderOutcome> RefundAsync(IPaymentMethod method, PaymentMethodRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        return ExecuteAsync(Refund, method, ct => method.RefundAsync(refund, ct), cancellationToken);
    }

    private async Task<ProviderOutcome> ExecuteAsync(string operation, IPaymentMethod method, Func<CancellationToken, Task<PaymentMethodResult>> call, CancellationToken cancellationToken)
    {
        var pipeline = pipelines.GetPipeline(PaymentsPipeline.Name);
        ProviderOutcome outcome;
        try
        {
            var result = await pipeline.ExecuteAsync(
                async ct =>
                {
                    try
                    {
                        var answer = await call(ct);
                        metrics.Attempt(operation, method.Code, answer.Succeeded ? "succeeded" : "declined");
                        return answer;
                    }
                    catch (TransientPaymentException)
                    {
                        metrics.Attempt(operation, method.Code, "transient");
                        throw;
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        metrics.Attempt(operation, method.Code, "timeout");
                        throw;
                    }
                },
                cancellationToken);
            outcome = result.Succeeded
                ? ProviderOutcome.Succeeded(result.ProviderReference ?? "")
                : ProviderOutcome.Declined(result.DeclineReason ?? "declined");
        }
        catch (BrokenCircuitException)
        {
            outcome = ProviderOutcome.Unavailable("circuit open: the payment provider is unavailable");
        }
        catch (TimeoutRejectedException)
        {
            outcome = ProviderOutcome.Unavailable("timed out: no answer from the payment provider within the time budget");
        }
        catch (TransientPaymentException ex)
        {
            outcome = ProviderOutcome.Unavailable("retries exhausted: " + ex.Message);
        }

        metrics.Operation(operation, method.Code, outcome.Kind);
        if (outcome.Kind == ProviderOutcomeKind.Unavailable)
        {
            logger.LogWarning("Payment {Operation} via {Method} unavailable: {Reason}", operation, method.Code, outcome.Reason);
        }

        return outcome;
    }
}
