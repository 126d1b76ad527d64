using Retail.BuildingBlocks.Application.Settings;

namespace Retail.BuildingBlocks.Infrastructure.Jobs;

/// <summary>A queue a module serves with its own Hangfire server (<see cref="JobsServiceCollectionExtensions.AddDedicatedJobQueue"/>).</summary>
public sealed record DedicatedJobQueue(string Name);

/// <summary>
/// Checked when the app starts, whether this instance runs a job server or not: Hangfire refused a worker count of zero or
/// less only when its server started, with its own message that named no setting, and a dedicated queue's zero was
/// quietly raised to one worker. A <c>Jobs:Queues</c> key that names no queue (a typo, another case: the servers look
/// their queue up by its exact name) was ignored just as quietly, leaving the queue at its default.
/// </summary>
public sealed class JobsOptionsValidator(IEnumerable<DedicatedJobQueue> queues) : SettingsValidator<JobsOptions>
{
    protected override void Check(SettingsCheck check, JobsOptions options)
    {
        check.AtLeast(options.WorkerCount, 1, "Jobs:WorkerCount");
        var known = queues.Select(q => q.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var (queue, workers) in options.Queues)
        {
            if (!known.Contains(queue, StringComparer.Ordinal))
            {
                check.Require(false, $"Jobs:Queues:{queue} is not a job queue; the queues are: {(known.Count == 0 ? "(none)" : string.Join(", ", known))}.");
                continue;
            }

            check.AtLeast(workers, 1, $"Jobs:Queues:{queue}");
        }
    }
}
