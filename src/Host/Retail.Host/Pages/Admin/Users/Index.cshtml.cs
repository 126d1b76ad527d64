using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.Abstractions;
using Retail.Modules.Identity.Application.Users;

namespace Retail.Host.Pages.Admin.Users;

public sealed class IndexModel(IRequestSender sender) : RetailPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    // Query string only: Razor Pages route values include "page" (the page path), which would otherwise bind first.
    [BindProperty(Name = "page", SupportsGet = true)]
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public PagedResult<UserSummaryDto>? Results { get; private set; }

    public string PageLink(int page) => $"/admin/users?search={Uri.EscapeDataString(Search ?? "")}&page={page}";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // A page number that does not bind (page=abc, or past int range) left PageNumber at 1 and showed the first page
        // as if nothing were wrong: say which value was refused instead.
        if (!ModelState.IsValid)
        {
            ShowError(BindingError());
            return;
        }

        // Out of range (0, -1, past Paging.MaxPage) is the query's validation error, as on every other list; page 0 used to
        // be turned into page 1 here and shown as if asked for.
        var result = await sender.Send(new GetUsersQuery(Search, PageNumber), cancellationToken);
        if (result.IsSuccess)
        {
            Results = result.Value;
        }
        else
        {
            ShowError(result.Error);
        }
    }
}
