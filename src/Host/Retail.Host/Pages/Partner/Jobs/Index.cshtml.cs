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

        var result = await Sender.Send(new ListFeedJobsQuery(Partner!.Id, Math.Max(1, PageNumber)), cancellationToken);
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
