using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Retail.Modules.Payments.Application.Refunds.SweepPendingRefunds;
using Retail.Modules.Payments.Infrastructure.Resilience;

namespace Retail.Modules.Payments.Infrastructure.Jobs;

/// <summary>The Hangfire entry point of the refund sweep. No Hangfire retries: the next scheduled run is the retry.</summary>
public sealed class RefundSweepJob(PendingRefundSweep sweep)
{
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 120)]
    public Task<int> RunAsync(CancellationToken cancellationToken) => sweep.RunAsync(cancellationToken);
}

/// <summary>Registers the module's recurring jobs at startup, as the platform's RecurringJobsRegistration does for outboxes.</summary>
internal sealed class PaymentsRecurringJobs(IRecurringJobManager recurringJobs, IOptions<PaymentsOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurringJobs.AddOrUpdate<RefundSweepJob>(PendingRefundSweep.JobId, job => job.RunAsync(CancellationToken.None), options.Value.RefundSweepCron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
