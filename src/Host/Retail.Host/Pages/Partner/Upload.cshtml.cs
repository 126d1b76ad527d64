using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Host.Web;
using Retail.Modules.Partners.Application;
using Retail.Modules.Partners.Application.Feeds;
using Retail.Modules.Partners.Domain.Feeds;

namespace Retail.Host.Pages.Partner;

/// <summary>Feed upload from the portal: the same pipeline as <c>POST /api/partners/feeds</c>.</summary>
[RequestSizeLimit(PartnerPortalLimits.MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = PartnerPortalLimits.MaxUploadBytes)]
[FormTooLarge<FeedUploadTooLargeMessage>]
public sealed class UploadModel(IRequestSender sender, FeedSubmissions submissions, IOptions<PartnersOptions> options) : PartnerPortalPageModel(sender)
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
        if (!result.IsSuccess && result.Error.Code == FeedSubmissions.TooLarge.Code)
        {
            // Under the form limit but over Partners:MaxFeedBytes (when that is set lower): the same 413 and words as a
            // form over the limit gets, naming the largest feed accepted, instead of "The feed is larger than the limit."
            // The form stays on the page so a smaller file can be chosen.
            ShowError(result.Error with { Message = new FeedUploadTooLargeMessage(options).Text });
            Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Page();
        }

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
    /// <summary>The largest feed file the upload page takes (the API takes up to <c>Partners:MaxFeedBytes</c>).</summary>
    public const long MaxFeedFileBytes = 50L * 1024 * 1024;

    /// <summary>The upload form's body limit: the feed file and room for the form around it.</summary>
    public const long MaxUploadBytes = MaxFeedFileBytes + 64 * 1024;
}

/// <summary>
/// What a feed upload over the page's form limit is told (<see cref="FormTooLargeAttribute{TMessage}"/>): the largest feed
/// the page accepts (its own limit, or <c>Partners:MaxFeedBytes</c> when that is lower, since the feed is refused above it
/// anyway) and, when the API accepts larger feeds than the page, to send those through the API.
/// </summary>
public sealed class FeedUploadTooLargeMessage(IOptions<PartnersOptions> options) : IFormTooLargeMessage
{
    public string Text
    {
        get
        {
            var apiLimit = options.Value.MaxFeedBytes;
            var pageLimit = Math.Min(PartnerPortalLimits.MaxFeedFileBytes, apiLimit);
            var next = apiLimit > PartnerPortalLimits.MaxFeedFileBytes
                ? $"Send larger feeds, up to {Megabytes(apiLimit)}, through the API (POST /api/partners/feeds)."
                : "Send a smaller file, for example a delta feed with only the products that changed.";
            return $"The feed file is too large. This page accepts feed files up to {Megabytes(pageLimit)}. {next}";
        }
    }

    private static string Megabytes(long bytes) => (bytes / (1024d * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB";
}
