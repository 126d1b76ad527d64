using Retail.Modules.Partners.Domain.Feeds;

namespace Retail.Modules.Partners.Application.Feeds;

/// <summary>A feed job as the status API and the portal show it.</summary>
public sealed record FeedJobDto(
    Guid Id,
    Guid PartnerId,
    string Status,
    int Percent,
    string Mode,
    string Kind,
    string Source,
    string Format,
    string FileName,
    long SizeBytes,
    int Rows,
    int Created,
    int Updated,
    int Unchanged,
    int Rejected,
    int Deactivated,
    int PendingDeactivations,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    public bool IsFinished => Status is nameof(FeedJobStatus.Completed) or nameof(FeedJobStatus.CompletedWithErrors) or nameof(FeedJobStatus.Failed) or nameof(FeedJobStatus.Cancelled);

    public static FeedJobDto From(FeedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(job.Id, job.PartnerId, job.Status.ToString(), job.Percent, job.Mode.ToString(), job.Kind.ToString(), job.Source.ToString(),
            job.Format, job.FileName, job.SizeBytes, job.RowsRead, job.Created, job.Updated, job.Unchanged, job.Rejected, job.Deactivated,
            job.PendingDeactivations, job.FailureReason, job.CreatedAt, job.StartedAt, job.FinishedAt);
    }
}

public sealed record FeedRowErrorDto(int Line, string Field, string Code, string Message, string? Sku);

/// <summary>The report: the job with its counts, and the first page of row errors ordered by line.</summary>
public sealed record FeedReportDto(FeedJobDto Job, IReadOnlyList<FeedRowErrorDto> Errors, int TotalErrors);
