using System.Text;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Feeds.Pipeline;
using Retail.Modules.Partners.Domain.Feeds;

namespace Retail.Modules.Partners.Application.Feeds;

/// <summary>
/// A job of the given partner; another partner's job id answers 404 exactly like an unknown one.
/// <see cref="PartnerId"/> is null only for staff views (admin pages), which see every partner's jobs.
/// </summary>
public sealed record GetFeedReportQuery(Guid? PartnerId, Guid JobId, int Page = 1, int PageSize = 100) : IQuery<FeedReportDto>;

public sealed class GetFeedReportQueryValidator : AbstractValidator<GetFeedReportQuery>
{
    public GetFeedReportQueryValidator()
    {
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(0, 500);
    }
}

public sealed class GetFeedReportQueryHandler(IPartnersDbContext db) : IQueryHandler<GetFeedReportQuery, FeedReportDto>
{
    public static Error NotFound(Guid id) => Error.NotFound("partners.job_not_found", $"No feed job {id}.");

    public async ValueTask<Result<FeedReportDto>> Handle(GetFeedReportQuery query, CancellationToken cancellationToken)
    {
        var job = await db.FeedJobs.AsNoTracking()
            .SingleOrDefaultAsync(j => j.Id == query.JobId && (query.PartnerId == null || j.PartnerId == query.PartnerId), cancellationToken);
        if (job is null)
        {
            return NotFound(query.JobId);
        }

        var errors = db.FeedRowErrors.AsNoTracking().Where(e => e.JobId == job.Id);
        var total = await errors.CountAsync(cancellationToken);
        var page = query.PageSize == 0 ? [] : await errors.OrderBy(e => e.Line).ThenBy(e => e.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .Select(e => new FeedRowErrorDto(e.Line, e.Field, e.Code, e.Message, e.Sku))
            .ToListAsync(cancellationToken);
        return new FeedReportDto(FeedJobDto.From(job), page, total);
    }
}

/// <summary>Feed jobs newest first: of one partner, or (staff, <see cref="PartnerId"/> null) of all.</summary>
public sealed record ListFeedJobsQuery(Guid? PartnerId, int Page = 1, int PageSize = 20) : IQuery<PagedResult<FeedJobDto>>;

public sealed class ListFeedJobsQueryValidator : AbstractValidator<ListFeedJobsQuery>
{
    public ListFeedJobsQueryValidator()
    {
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, 100);
    }
}

public sealed class ListFeedJobsQueryHandler(IPartnersDbContext db) : IQueryHandler<ListFeedJobsQuery, PagedResult<FeedJobDto>>
{
    public async ValueTask<Result<PagedResult<FeedJobDto>>> Handle(ListFeedJobsQuery query, CancellationToken cancellationToken)
    {
        var jobs = db.FeedJobs.AsNoTracking().Where(j => query.PartnerId == null || j.PartnerId == query.PartnerId);
        var total = await jobs.CountAsync(cancellationToken);
        var page = await jobs.OrderByDescending(j => j.CreatedAt).Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken);
        return new PagedResult<FeedJobDto>([.. page.Select(FeedJobDto.From)], query.Page, query.PageSize, total);
    }
}

/// <summary>The job's row errors as a CSV file (line, field, code, message, sku), formula-safe for spreadsheets.</summary>
public sealed record GetFeedErrorCsvQuery(Guid? PartnerId, Guid JobId) : IQuery<string>;

public sealed class GetFeedErrorCsvQueryHandler(IPartnersDbContext db) : IQueryHandler<GetFeedErrorCsvQuery, string>
{
    public async ValueTask<Result<string>> Handle(GetFeedErrorCsvQuery query, CancellationToken cancellationToken)
    {
        var exists = await db.FeedJobs.AnyAsync(j => j.Id == query.JobId && (query.PartnerId == null || j.PartnerId == query.PartnerId), cancellationToken);
        if (!exists)
        {
            return GetFeedReportQueryHandler.NotFound(query.JobId);
        }

        var csv = new StringBuilder("line,field,code,message,sku\r\n");
        var errors = db.FeedRowErrors.AsNoTracking().Where(e => e.JobId == query.JobId).OrderBy(e => e.Line).ThenBy(e => e.Id).AsAsyncEnumerable();
        await foreach (var e in errors.WithCancellation(cancellationToken))
        {
            csv.Append(e.Line).Append(',').Append(Cell(e.Field)).Append(',').Append(Cell(e.Code)).Append(',')
                .Append(Cell(e.Message)).Append(',').Append(Cell(e.Sku ?? "")).Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>Quotes every cell and neutralizes formula prefixes, so opening the report in a spreadsheet runs nothing.</summary>
    public static string Cell(string value) => "\"" + FeedSanitizer.NeutralizeFormula(value).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>An admin confirms that a paused full feed may deactivate the products it no longer lists.</summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record ConfirmFeedDeactivationCommand(Guid JobId) : ICommand, IOwnsTransaction;

public sealed class ConfirmFeedDeactivationCommandHandler(IPartnersDbContext db, FeedIngestProcessor processor) : ICommandHandler<ConfirmFeedDeactivationCommand>
{
    public async ValueTask<Result> Handle(ConfirmFeedDeactivationCommand command, CancellationToken cancellationToken)
    {
        var job = await db.FeedJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == command.JobId, cancellationToken);
        if (job is null)
        {
            return GetFeedReportQueryHandler.NotFound(command.JobId);
        }

        if (job.Status != FeedJobStatus.AwaitingConfirmation)
        {
            return Error.Conflict("partners.not_awaiting_confirmation", "This job is not waiting for a confirmation.");
        }

        await processor.ConfirmDeactivationAsync(command.JobId, cancellationToken);
        return Result.Success();
    }
}

/// <summary>Staff cancel a job that has not finished (a paused full feed: nothing is deactivated).</summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record CancelFeedJobCommand(Guid JobId) : ICommand;

public sealed class CancelFeedJobCommandHandler(IPartnersDbContext db, TimeProvider time) : ICommandHandler<CancelFeedJobCommand>
{
    public async ValueTask<Result> Handle(CancelFeedJobCommand command, CancellationToken cancellationToken)
    {
        var job = await db.FeedJobs.SingleOrDefaultAsync(j => j.Id == command.JobId, cancellationToken);
        if (job is null)
        {
            return GetFeedReportQueryHandler.NotFound(command.JobId);
        }

        if (job.IsFinished)
        {
            return Error.Conflict("partners.job_finished", "This job has already ended.");
        }

        job.Cancel(time.GetUtcNow());
        job.Finished();
        return Result.Success();
    }
}
