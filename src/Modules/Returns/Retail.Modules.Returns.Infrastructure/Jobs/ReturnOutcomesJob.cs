using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Retail.Modules.Returns.Application;
using Retail.Modules.Returns.Application.Outcomes;

namespace Retail.Modules.Returns.Infrastructure.Jobs;

/// <summary>
/// The Hangfire entry point that executes return outcomes: refunds through Payments (waiting and retrying while the
/// provider is down), store credit. The truth is in the outcome rows, so a lost job loses nothing: the next run resumes.
/// </summary>
public sealed class ReturnOutcomesJob(ReturnOutcomeProcessor processor)
{
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 120)]
    public async Task RunAsync(CancellationToken cancellationToken) => await processor.RunAsync(cancellationToken);
}

internal sealed class ReturnsRecurringJobs(IRecurringJobManager recurringJobs, IOptions<ReturnsOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurringJobs.AddOrUpdate<ReturnOutcomesJob>(ReturnOutcomeProcessor.JobId, job => job.RunAsync(CancellationToken.None), options.Value.OutcomeSweepCron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
