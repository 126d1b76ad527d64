using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Partners.Application.Feeds;

namespace Retail.Host.Pages.Partner.Jobs;

public sealed class IndexModel(IRequestSender sender) : PartnerPortalPageModel(sender)
{
    [BindProperty(Name = "page", SupportsGet = true)]
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public PagedResult<FeedJobDto>? Jobs { get; private set; }

    public static string PageLink(int page) => $"/partner/jobs?page={page}";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadPartnerAsync(cancellationToken))
        {
            return;
        }

        if (!ModelState.IsValid)
        {
            // A page number that did not bind (page=abc, one past int.MaxValue) left PageNumber at 1 and the partner got
            // page one as if they had asked for it. Say which value was refused instead.
            ShowError(BindingError());
            return;
        }

        // No clamping: page 0 was shown as page 1. The query's validator answers it like a page past the cap.
        var result = await Sender.Send(new ListFeedJobsQuery(Partner!.Id, PageNumber), cancellationToken);
        if (result.IsSuccess)
        {
            Jobs = result.Value;
        }
        else
        {
            ShowError(result.Error);
        }
    }
}
