using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Partners.Application.Feeds;
using Retail.Modules.Partners.Domain.Feeds;

namespace Retail.Host.Pages.Partner;

/// <summary>Feed upload from the portal: the same pipeline as <c>POST /api/partners/feeds</c>.</summary>
[RequestSizeLimit(PartnerPortalLimits.MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = PartnerPortalLimits.MaxUploadBytes)]
public sealed class UploadModel(IRequestSender sender, FeedSubmissions submissions) : PartnerPortalPageModel(sender)
{
    [BindProperty]
    public IFormFile? Feed { get; set; }

    [BindProperty]
    public bool ValidateOnly { get; set; }

    [BindProperty]
    public bool FullFeed { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadPartnerAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadPartnerAsync(cancellationToken))
        {
            return Page();
        }

        if (Feed is null || Feed.Length == 0)
        {
            ModelState.AddModelError(nameof(Feed), "Choose a feed file.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await using var stream = Feed.OpenReadStream();
        var result = await submissions.SubmitAsync(new FeedUpload(Partner!.Id, stream, Feed.ContentType, Feed.FileName,
            ValidateOnly ? FeedMode.Validate : FeedMode.Import, FullFeed ? FeedKind.Full : FeedKind.Delta, FeedSource.Portal, null), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error);
            return Page();
        }

        StatusMessage = result.Value.Outcome == SubmissionOutcome.Repeated
            ? "This file was sent before: here is its original job."
            : "Feed received.";
        return Redirect($"/partner/jobs/{result.Value.Job.Id}");
    }
}

public static class PartnerPortalLimits
{
    public const long MaxUploadBytes = 50L * 1024 * 1024 + 64 * 1024;
}
