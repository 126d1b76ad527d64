using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Returns.Application.Queues;

namespace Retail.Host.Pages.Staff.Returns;

/// <summary>One queue per team (support, warehouse, finance): counts per stage, filters, search, paging, time in stage with overdue highlighted.</summary>
[Authorize(Roles = StaffRoles)]
public sealed class IndexModel(IRequestSender sender, TimeProvider time) : RetailPageModel
{
    public const string StaffRoles = Roles.Support + "," + Roles.Warehouse + "," + Roles.Finance + "," + Roles.Admin + "," + Roles.SuperAdmin;

    [BindProperty(SupportsGet = true)]
    [FromQuery(Name = "team")]
    public string? Team { get; set; }

    [BindProperty(SupportsGet = true)]
    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    [FromQuery(Name = "search")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    [FromQuery(Name = "overdue")]
    public bool OverdueOnly { get; set; }

    [BindProperty(Name = "page", SupportsGet = true)]
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public ReturnQueueResultDto? Queue { get; private set; }

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The teams this user may look at (admins see all three).</summary>
    public IReadOnlyList<string> Teams =>
        [.. new[] { Roles.Support, Roles.Warehouse, Roles.Finance }.Where(t => User.IsInRole(t) || User.IsInRole(Roles.Admin) || User.IsInRole(Roles.SuperAdmin))];

    /// <summary>
    /// The team asked for, in any case ("Finance" is finance), or the user's first team when none was asked for. A team the
    /// user is not in, or no team at all, is kept as asked so the query refuses it: it used to fall back to the user's own
    /// queue, shown as if it were the one asked for.
    /// </summary>
    public string CurrentTeam => string.IsNullOrWhiteSpace(Team)
        ? Teams.FirstOrDefault() ?? Roles.Support
        : KnownTeams.FirstOrDefault(t => string.Equals(t, Team.Trim(), StringComparison.OrdinalIgnoreCase)) ?? Team.Trim();

    private static readonly string[] KnownTeams = [Roles.Support, Roles.Warehouse, Roles.Finance];

    public string Link(int page, string? status = null, string? team = null) =>
        "/staff/returns?" + QueueQuery(team ?? CurrentTeam, status ?? Status, Search, OverdueOnly, page);

    public string PageLink(int page) => Link(page);

    /// <summary>A return opened from this page carries the queue (filters and page) so its crumb and its actions lead back here.</summary>
    public string DetailsLink(string code) =>
        $"/staff/returns/{Uri.EscapeDataString(code)}?" + QueueQuery(CurrentTeam, Status, Search, OverdueOnly, Queue?.Items.Page ?? 1);

    /// <summary>One queue's query string: the queue's links and the return pages opened from it build it the same way.</summary>
    public static string QueueQuery(string team, string? status, string? search, bool overdueOnly, int page) =>
        $"team={Uri.EscapeDataString(team)}&status={Uri.EscapeDataString(status ?? "")}&search={Uri.EscapeDataString(search ?? "")}&overdue={overdueOnly.ToString().ToLowerInvariant()}&page={page}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // A page number (or overdue flag) that did not bind (page=abc) left its default: staff got page one of the
            // queue as if they had asked for it. Say which value was refused instead.
            ShowError(BindingError());
            return Page();
        }

        // No clamping: page 0 was shown as page 1. The query's validator answers it like a page past the cap.
        var result = await sender.Send(new GetReturnQueueQuery(CurrentTeam, Status, Search, OverdueOnly, PageNumber), cancellationToken);
        if (result.IsSuccess)
        {
            Queue = result.Value;
        }
        else
        {
            ShowError(result.Error);
        }

        return Page();
    }
}
