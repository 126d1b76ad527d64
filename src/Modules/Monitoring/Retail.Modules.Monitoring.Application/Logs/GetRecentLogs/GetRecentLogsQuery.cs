using FluentValidation;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;

namespace Retail.Modules.Monitoring.Application.Logs.GetRecentLogs;

/// <summary>The newest log entries of this instance, filtered by minimum level and a trace id, request id or text.</summary>
[AuthorizeRoles(Roles.Admin)]
public sealed record GetRecentLogsQuery(string? Level = null, string? Search = null, int Take = 100) : IQuery<IReadOnlyList<RecentLogEntryDto>>;

public sealed class GetRecentLogsQueryValidator : AbstractValidator<GetRecentLogsQuery>
{
    public GetRecentLogsQueryValidator()
    {
        RuleFor(q => q.Level).Must(l => string.IsNullOrEmpty(l) || RecentLogLevels.TryParse(l, out _))
            .WithMessage("Level must be one of Trace, Debug, Information, Warning, Error, Critical.");
        RuleFor(q => q.Search).MaximumLength(200);
        RuleFor(q => q.Take).InclusiveBetween(1, RecentLogBuffer.DefaultCapacity);
    }
}

public sealed class GetRecentLogsQueryHandler(RecentLogBuffer logs) : IQueryHandler<GetRecentLogsQuery, IReadOnlyList<RecentLogEntryDto>>
{
    public ValueTask<Result<IReadOnlyList<RecentLogEntryDto>>> Handle(GetRecentLogsQuery query, CancellationToken cancellationToken)
    {
        RecentLogLevels.TryParse(query.Level, out var level);
        return ValueTask.FromResult<Result<IReadOnlyList<RecentLogEntryDto>>>(Result.Success(logs.Query(level, query.Search, query.Take)));
    }
}

public static class RecentLogLevels
{
    public static readonly IReadOnlyList<string> Names = ["Trace", "Debug", "Information", "Warning", "Error", "Critical"];

    public static bool TryParse(string? value, out LogLevel? level)
    {
        level = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        // Only the names ("3" and "Debug,Information" are not levels: EnumNames says why).
        if (!EnumNames.TryParse<LogLevel>(value, Names, out var named))
        {
            return false;
        }

        level = named;
        return true;
    }
}
