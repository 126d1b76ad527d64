using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;
using Retail.Host.Web;
using Retail.Modules.Returns.Application;

namespace Retail.Host.Pages.Returns;

/// <summary>Body limits of the return pages that take photos: room for the photos the options allow plus the form around them.</summary>
public static class ReturnPhotoForms
{
    /// <summary>Start page: up to five photos of 5 MB and the form.</summary>
    public const int MaxNewReturnBytes = 40 * 1024 * 1024;

    /// <summary>Details page: add a photo.</summary>
    public const int MaxAddPhotoBytes = 10 * 1024 * 1024;

    /// <summary>
    /// After the page's <c>[RequestSizeLimit]</c>/<c>[RequestFormLimits]</c> (900), which set the limits the form is read
    /// with, and before antiforgery (1000), which is the first to read the form.
    /// </summary>
    public const int TooLargeFilterOrder = 950;
}

/// <summary>
/// A photo form over its page's body limit is a 413 saying how big photos may be, on the error page with the reference id.
/// Antiforgery reads the form before the page runs and failed on the size, so the customer got the generic 400 "Reload
/// the page and try again" and would try the same upload again.
/// </summary>
internal sealed partial class PhotoFormTooLargeFilter(IOptions<ReturnsOptions> options, ILogger<PhotoFormTooLargeFilter> logger) : IAsyncAuthorizationFilter
{
    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        var request = http.Request;
        if (context.Result is not null || !request.HasFormContentType)
        {
            return;
        }

        var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        // A declared length over the limit is refused without reading a byte; a body without one (chunked) is refused by
        // the server's limit while the form is read here, before antiforgery would turn that into its 400.
        var tooLarge = request.ContentLength > limit;
        if (!tooLarge)
        {
            try
            {
                await request.ReadFormAsync(http.RequestAborted);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                tooLarge = true;
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                // A malformed form is not a size problem: antiforgery answers it as before.
                return;
            }
        }

        if (!tooLarge)
        {
            return;
        }

        var limits = options.Value;
        LogTooLarge(logger, request.Path, request.ContentLength, limit, ProblemReference(http));
        // The error page that answers the status must not read the oversize body again while binding its own parameters.
        request.Form = FormCollection.Empty;
        http.Features.Set(new RefusalMessage(
            $"The upload is too large. Photos can be at most {limits.MaxPhotoBytes / (1024 * 1024)} MB each, and a return has at most {limits.MaxPhotos}. Choose smaller photos and try again."));
        context.Result = new Microsoft.AspNetCore.Mvc.StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
    }

    private static string ProblemReference(HttpContext http) => Retail.BuildingBlocks.Infrastructure.Web.ProblemResults.ReferenceId(http);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Photo form on {Path} refused as too large: {Length} bytes, limit {Limit} (reference {ReferenceId})")]
    private static partial void LogTooLarge(ILogger logger, PathString path, long? length, long? limit, string referenceId);
}
