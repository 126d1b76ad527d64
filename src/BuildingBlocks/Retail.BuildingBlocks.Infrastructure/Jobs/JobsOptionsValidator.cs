using Retail.BuildingBlocks.Application.Settings;

namespace Retail.BuildingBlocks.Infrastructure.Jobs;

/// <summary>
/// Checked when the app starts, whether this instance runs a job server or not: Hangfire refused a worker count of zero or
/// less only when its server started, with its own message that named no setting, and a dedicated queue's zero was
/// quietly raised to one worker.
/// </summary>
public sealed class JobsOptionsValidator : SettingsValidator<JobsOptions>
{
    protected override void Check(SettingsCheck check, JobsOptions options)
    {
        check.AtLeast(options.WorkerCount, 1, "Jobs:WorkerCount");
        foreach (var (queue, workers) in options.Queues)
        {
            check.AtLeast(workers, 1, $"Jobs:Queues:{queue}");
        }
    }
}
