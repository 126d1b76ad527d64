using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Partners.Application.Feeds;

namespace Retail.Host.Pages.Partner.Jobs;

/// <summary>One job: progress bar (polled by wwwroot/js/feed-job.js through the Status handler), counts, row errors, error CSV.</summary>
public sealed class DetailsModel(IRequestSender sender) : PartnerPortalPageModel(sender)
{
    [BindProperty(Name = "page", SupportsGet = true)]
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public FeedReportDto? Report { get; private set; }

    public string PageLink(int page) => $"/partner/jobs/{Report?.Job.Id}?page={page}";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadPartnerAsync(cancellationToken))
        {
            return Page();
        }

        if (!ModelState.IsValid)
        {
            // A page number that did not bind (page=abc, one past int.MaxValue) left PageNumber at 1 and the partner got
            // the first errors as if they had asked for them. Say which value was refused instead.
            ShowError(BindingError());
            return Page();
        }

        // No clamping: page 0 was shown as page 1, and a page past the cap was answered 404 as if the job were unknown.
        // The query's validator answers both; only an unknown job is a 404.
        var result = await Sender.Send(new GetFeedReportQuery(Partner!.Id, id, PageNumber), cancellationToken);
        if (!result.IsSuccess)
        {
            if (result.Error.Kind == ErrorKind.NotFound)
            {
                return NotFound();
            }

            ShowError(result.Error);
            return Page();
        }

        Report = result.Value;
        return Page();
    }

    /// <summary>JSON for the progress script (same fields as <c>GET /api/partners/jobs/{id}</c>).</summary>
    public async Task<IActionResult> OnGetStatusAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadPartnerAsync(cancellationToken))
        {
            return NotFound();
        }

        var result = await Sender.Send(new GetFeedReportQuery(Partner!.Id, id, 1, 0), cancellationToken);
        return result.IsSuccess ? new JsonResult(result.Value.Job) : NotFound();
    }

    public async Task<IActionResult> OnGetErrorsCsvAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadPartnerAsync(cancellationToken))
        {
            return NotFound();
        }

        var result = await Sender.Send(new GetFeedErrorCsvQuery(Partner!.Id, id), cancellationToken);
        return result.IsSuccess ? File(System.Text.Encoding.UTF8.GetBytes(result.Value), "text/csv", $"feed-{id:N}-errors.csv") : NotFound();
    }
}
