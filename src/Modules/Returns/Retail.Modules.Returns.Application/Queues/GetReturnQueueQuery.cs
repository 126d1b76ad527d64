using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Domain.Returns;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Returns.Application.Queues;

/// <summary>
/// Staff: one team's queue (its stages from the transition table), filtered by stage, searched by return code, order
/// number or customer id, overdue first then oldest in stage, paged; with counts per stage.
/// </summary>
[AuthorizeRoles(Roles.Support, Roles.Warehouse, Roles.Finance)]
public sealed record GetReturnQueueQuery(string Team, string? Status = null, string? Search = null, bool OverdueOnly = false, int Page = 1, int PageSize = 20)
    : IQuery<ReturnQueueResultDto>;

public sealed class GetReturnQueueQueryValidator : AbstractValidator<GetReturnQueueQuery>
{
    public GetReturnQueueQueryValidator()
    {
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, PagedResult<ReturnSummaryDto>.MaxPageSize);

        // The catalog search's rule: the search box caps the length, a hand-made query did not, and a NUL is no code,
        // order number or customer id anyone types.
        RuleFor(q => q.Search).ValidSearchText();
    }
}

public sealed record StageCountDto(string Status, int Count, int Overdue);

public sealed record ReturnQueueResultDto(string Team, IReadOnlyList<StageCountDto> Counts, PagedResult<ReturnSummaryDto> Items, TimeSpan Sla);

public sealed class GetReturnQueueQueryHandler(IReturnsDbContext db, ReturnViewer viewer, IOptions<ReturnsOptions> options, TimeProvider time) :
    IQueryHandler<GetReturnQueueQuery, ReturnQueueResultDto>,
    IQueryHandler<GetReturnsOverview, ReturnsOverviewDto>
{
    public static Error UnknownTeam() => ReturnErrors.Invalid("team", "Team is support, warehouse or finance.");

    public static Error WrongTeam(string team, IReadOnlyList<string> teams) => Error.Forbidden() with
    {
        Code = "returns.wrong_team",
        Message = $"You are not in the {team} team, so its queue is not yours to see. Your queues: {(teams.Count == 0 ? "none" : string.Join(", ", teams))}.",
    };

    public async ValueTask<Result<ReturnQueueResultDto>> Handle(GetReturnQueueQuery query, CancellationToken cancellationToken)
    {
        var team = (query.Team ?? "").Trim().ToLowerInvariant();
        var stages = ReturnWorkflow.QueueOf(team);
        if (stages.Count == 0)
        {
            return UnknownTeam();
        }

        // Admins look at every queue; staff at their own teams' only. Asking for another team's queue was answered with it
        // (API) or with the user's own queue under the name asked for (page), so nobody noticed they were in the wrong one.
        if (!viewer.IsAdmin && !viewer.TeamRoles.Contains(team, StringComparer.Ordinal))
        {
            return WrongTeam(team, viewer.TeamRoles);
        }

        var filter = ReturnWorkflow.ParseStatus(query.Status);
        if (!string.IsNullOrWhiteSpace(query.Status) && (filter is null || !stages.Contains(filter.Value)))
        {
            return ReturnErrors.Invalid("status", $"The {team} queue shows {string.Join(", ", stages.Select(s => s.ToCode()))}.");
        }

        var now = time.GetUtcNow();
        var overdueBefore = now - options.Value.StageSla;
        var inQueue = db.Returns.AsNoTracking().Where(r => stages.Contains(r.Status));
        var counts = await inQueue
            .GroupBy(r => r.Status)
            .Select(g => new { Status = g.Key, Count = g.Count(), Overdue = g.Count(r => r.StageEnteredAt < overdueBefore) })
            .ToListAsync(cancellationToken);

        var rows = filter is { } only ? inQueue.Where(r => r.Status == only) : inQueue;
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            var upper = term.ToUpperInvariant();
            // Emails and user ids are compared without case: staff copy them from mails and tickets in whatever case they
            // were written, and an exact match found nothing for 'Ann@Example.com' when she signed up as 'ann@example.com'.
            rows = rows.Where(r => r.Code == upper || r.Code.Contains(upper) || r.OrderNumber == upper
                || r.CustomerId.ToUpper() == upper || (r.CustomerEmail != null && r.CustomerEmail.ToUpper() == upper));
        }

        if (query.OverdueOnly)
        {
            rows = rows.Where(r => r.StageEnteredAt < overdueBefore);
        }

        var (page, size) = (query.Page, query.PageSize);
        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderBy(r => r.StageEnteredAt).Skip((page - 1) * size).Take(size)
            .Select(r => new { r.Id, r.Code, r.OrderNumber, r.Status, r.CreatedAt, r.StageEnteredAt, Units = r.Lines.Sum(l => l.Quantity), r.CustomerId, r.Version })
            .ToListAsync(cancellationToken);
        return new ReturnQueueResultDto(
            team,
            [.. stages.Select(s => counts.FirstOrDefault(c => c.Status == s) is { } c ? new StageCountDto(s.ToCode(), c.Count, c.Overdue) : new StageCountDto(s.ToCode(), 0, 0))],
            new PagedResult<ReturnSummaryDto>(
                [.. items.Select(r => new ReturnSummaryDto(r.Id, r.Code, r.OrderNumber, r.Status.ToCode(), ReturnWorkflow.OwnerOf(r.Status), r.CreatedAt, r.StageEnteredAt, r.Units, r.CustomerId,
                    ReturnQueries.IsOverdue(r.StageEnteredAt, r.Status, now, options.Value.StageSla), r.Version))],
                page,
                size,
                total),
            options.Value.StageSla);
    }

    public async ValueTask<Result<ReturnsOverviewDto>> Handle(GetReturnsOverview query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var overdueBefore = now - options.Value.StageSla;
        var byStatus = await db.Returns.AsNoTracking().GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count(), Overdue = g.Count(r => r.StageEnteredAt < overdueBefore) })
            .ToListAsync(cancellationToken);
        var completed = await db.Returns.AsNoTracking().Include(r => r.Lines).Where(r => r.Status == ReturnStatus.Completed).ToListAsync(cancellationToken);
        var succeeded = await db.Returns.AsNoTracking().SelectMany(r => r.Outcomes).Where(o => o.Status == OutcomeStatus.Succeeded)
            .Select(o => new { o.Kind, o.Amount }).ToListAsync(cancellationToken);
        var queues = ReturnRoles.Teams.Select(team =>
        {
            var stages = ReturnWorkflow.QueueOf(team);
            var mine = byStatus.Where(s => stages.Contains(s.Key)).ToList();
            return new ReturnQueueDto(team, mine.Sum(s => s.Count), mine.Sum(s => s.Overdue));
        }).ToList();
        return new ReturnsOverviewDto(
            byStatus.Sum(s => s.Count),
            Enum.GetValues<ReturnStatus>().ToDictionary(s => s.ToCode(), s => byStatus.FirstOrDefault(b => b.Key == s)?.Count ?? 0),
            Enum.GetValues<Disposition>().ToDictionary(EnumCodes.Of, d => completed.Count(r => r.MainDisposition == d)),
            queues,
            succeeded.Where(o => o.Kind == Disposition.Refund).Sum(o => o.Amount),
            succeeded.Where(o => o.Kind == Disposition.StoreCredit).Sum(o => o.Amount));
    }
}
