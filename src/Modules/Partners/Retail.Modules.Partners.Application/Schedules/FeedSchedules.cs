using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Feeds;
using Retail.Modules.Partners.Application.Feeds.Pipeline;
using Retail.Modules.Partners.Application.Keys;
using Retail.Modules.Partners.Domain.Feeds;
using Retail.Modules.Partners.Domain.Schedules;

namespace Retail.Modules.Partners.Application.Schedules;

/// <summary>The recurring jobs behind feed schedules (Hangfire), kept out of the Application layer.</summary>
public interface IFeedScheduler
{
    /// <summary>Registers or updates the recurring job; false when the cron expression is not valid.</summary>
    bool Register(FeedSchedule schedule);

    void Remove(FeedSchedule schedule);

    /// <summary>Runs the schedule once now, outside its cron times.</summary>
    void RunNow(FeedSchedule schedule);

    /// <summary>The next time the job server will run it (null when paused or unknown).</summary>
    DateTimeOffset? NextRun(FeedSchedule schedule);
}

public sealed record FeedScheduleDto(Guid Id, string Url, string Cron, string Kind, bool IsPaused, DateTimeOffset? NextRunAt, DateTimeOffset? LastRunAt, Guid? LastJobId);

internal static class ScheduleErrors
{
    public static Error NotFound(Guid id) => Error.NotFound("partners.schedule_not_found", $"No schedule {id}.");
}

/// <summary>A partner user registers a feed URL fetched on a cron schedule (UTC), e.g. <c>0 3 * * *</c> for 03:00 daily.</summary>
[AuthorizeRoles(Roles.Partner)]
public sealed record CreateFeedScheduleCommand(Guid PartnerId, string Url, string Cron, bool FullFeed) : ICommand<Guid>;

public sealed class CreateFeedScheduleCommandValidator : AbstractValidator<CreateFeedScheduleCommand>
{
    public CreateFeedScheduleCommandValidator(IOptions<PartnersOptions> options)
    {
        RuleFor(c => c.Url).NotEmpty().Must(u => CallbackUrlPolicy.IsAllowed(u, options.Value.AllowPrivateCallbackUrls))
            .WithMessage("The feed URL must be an absolute http(s) URL on a public address.");
        RuleFor(c => c.Cron).NotEmpty().MaximumLength(100);
    }
}

public sealed class CreateFeedScheduleCommandHandler(IPartnersDbContext db, IFeedScheduler scheduler, TimeProvider time) : ICommandHandler<CreateFeedScheduleCommand, Guid>
{
    public async ValueTask<Result<Guid>> Handle(CreateFeedScheduleCommand command, CancellationToken cancellationToken)
    {
        if (await db.FeedSchedules.CountAsync(s => s.PartnerId == command.PartnerId, cancellationToken) >= 10)
        {
            return Error.Conflict("partners.too_many_schedules", "A partner may have at most 10 schedules.");
        }

        var schedule = FeedSchedule.Create(command.PartnerId, command.Url, command.Cron, command.FullFeed ? FeedKind.Full : FeedKind.Delta, time.GetUtcNow());
        if (!scheduler.Register(schedule))
        {
            return Error.Validation(new Dictionary<string, string[]> { ["Cron"] = ["Not a valid cron expression (minute hour day month weekday, e.g. '0 3 * * *')."] });
        }

        db.FeedSchedules.Add(schedule);
        return schedule.Id;
    }
}

public enum ScheduleAction
{
    Pause,
    Resume,
    RunNow,
    Delete,
}

[AuthorizeRoles(Roles.Partner)]
public sealed record ChangeFeedScheduleCommand(Guid PartnerId, Guid ScheduleId, ScheduleAction Action) : ICommand;

public sealed class ChangeFeedScheduleCommandHandler(IPartnersDbContext db, IFeedScheduler scheduler) : ICommandHandler<ChangeFeedScheduleCommand>
{
    public async ValueTask<Result> Handle(ChangeFeedScheduleCommand command, CancellationToken cancellationToken)
    {
        var schedule = await db.FeedSchedules.SingleOrDefaultAsync(s => s.Id == command.ScheduleId && s.PartnerId == command.PartnerId, cancellationToken);
        if (schedule is null)
        {
            return ScheduleErrors.NotFound(command.ScheduleId);
        }

        switch (command.Action)
        {
            case ScheduleAction.Pause:
                schedule.Pause();
                scheduler.Remove(schedule);
                break;
            case ScheduleAction.Resume:
                schedule.Resume();
                scheduler.Register(schedule);
                break;
            case ScheduleAction.RunNow:
                scheduler.RunNow(schedule);
                break;
            case ScheduleAction.Delete:
                scheduler.Remove(schedule);
                db.FeedSchedules.Remove(schedule);
                break;
        }

        return Result.Success();
    }
}

[AuthorizeRoles(Roles.Partner)]
public sealed record ListFeedSchedulesQuery(Guid PartnerId) : IQuery<IReadOnlyList<FeedScheduleDto>>;

public sealed class ListFeedSchedulesQueryHandler(IPartnersDbContext db, IFeedScheduler scheduler) : IQueryHandler<ListFeedSchedulesQuery, IReadOnlyList<FeedScheduleDto>>
{
    public async ValueTask<Result<IReadOnlyList<FeedScheduleDto>>> Handle(ListFeedSchedulesQuery query, CancellationToken cancellationToken)
    {
        var schedules = await db.FeedSchedules.AsNoTracking().Where(s => s.PartnerId == query.PartnerId).OrderBy(s => s.CreatedAt).ToListAsync(cancellationToken);
        return Result.Success<IReadOnlyList<FeedScheduleDto>>([.. schedules.Select(s => new FeedScheduleDto(
            s.Id, s.Url, s.Cron, s.Kind.ToString(), s.IsPaused, s.IsPaused ? null : scheduler.NextRun(s), s.LastRunAt, s.LastJobId))]);
    }
}

/// <summary>
/// One scheduled run: fetch the URL into storage (same size limit), create a feed job (source Schedule) and run it through
/// the same pipeline. A content hash equal to the last run's returns that job (nothing re-imported).
/// </summary>
public sealed partial class ScheduledFeedRunner(
    IPartnersDbContext db,
    IFeedFetcher fetcher,
    FeedSubmissions submissions,
    IOptions<PartnersOptions> options,
    TimeProvider time,
    ILogger<ScheduledFeedRunner> logger)
{
    public async Task RunAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        var schedule = await db.FeedSchedules.SingleOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        if (schedule is null)
        {
            return;
        }

        var (stored, contentType) = await fetcher.FetchAsync(schedule.Url, options.Value.MaxFeedBytes, cancellationToken);
        if (stored is null)
        {
            LogFetchFailed(logger, schedule.Id, schedule.Url);
            return;
        }

        var result = await submissions.SubmitStoredAsync(schedule.PartnerId, stored, contentType, new Uri(schedule.Url).AbsolutePath, schedule.Kind, cancellationToken);
        if (result.IsSuccess)
        {
            schedule.Ran(result.Value.Job.Id, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled feed {ScheduleId} could not be fetched from {Url}")]
    private static partial void LogFetchFailed(ILogger logger, Guid scheduleId, string url);
}
