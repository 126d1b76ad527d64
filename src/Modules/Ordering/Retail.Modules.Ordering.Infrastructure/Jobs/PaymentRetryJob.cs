using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Retail.Modules.Ordering.Application;
using Retail.Modules.Ordering.Application.Orders.PlaceOrder;
using Retail.Modules.Ordering.Application.Orders.RetryPendingPayments;

namespace Retail.Modules.Ordering.Infrastructure.Jobs;

/// <summary>The Hangfire entry point of the payment retry. No Hangfire retries: the next scheduled run is the retry.</summary>
public sealed class PaymentRetryJob(PendingPaymentSweep sweep)
{
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 120)]
    public async Task RunAsync(CancellationToken cancellationToken) => await sweep.RunAsync(cancellationToken);
}

/// <summary>The Hangfire entry point of <see cref="InterruptedCheckoutRecovery"/>; as above, the next run is the retry.</summary>
public sealed class InterruptedCheckoutJob(InterruptedCheckoutRecovery recovery)
{
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 120)]
    public async Task RunAsync(CancellationToken cancellationToken) => await recovery.RunAsync(cancellationToken);
}

/// <summary>Registers the module's recurring jobs at startup, as Payments does for its refund sweep.</summary>
internal sealed class OrderingRecurringJobs(IRecurringJobManager recurringJobs, IOptions<OrderingOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurringJobs.AddOrUpdate<PaymentRetryJob>(PendingPaymentSweep.JobId, job => job.RunAsync(CancellationToken.None), options.Value.PaymentRetryCron);
        recurringJobs.AddOrUpdate<InterruptedCheckoutJob>(InterruptedCheckoutRecovery.JobId, job => job.RunAsync(CancellationToken.None), options.Value.InterruptedCheckoutCron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
