using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;

namespace Retail.Host.Pages;

/// <summary>The one error page: a friendly message and the reference id, never exception details.</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel(ILogger<ErrorModel> logger) : RetailPageModel
{
    public string Title { get; private set; } = "Something went wrong";

    public string Message { get; private set; } = UserMessages.Unexpected;

    public void OnGet() => Describe();

    public void OnPost() => Describe();

    /// <summary>
    /// The status comes from what happened to the request the page stands in for: an exception (500) or the status the
    /// re-execution carries. Not from <c>?statusCode=</c>: the exception handler keeps the failed request's own query.
    /// A request for /Error itself (typed, bookmarked, crawled) failed at nothing, and a 500 told crawlers and uptime
    /// checks the site was broken; the page has no content of its own, so it answers as any address without a page:
    /// 404 "Page not found" (a 200 would be a soft 404 that search engines index as a page).
    /// </summary>
    private void Describe()
    {
        var failure = HttpContext.Features.Get<IExceptionHandlerFeature>();
        var code = failure is not null ? 500 : HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalStatusCode ?? 404;
        if (failure is not null)
        {
            logger.LogError("Error page shown for {Path} (reference {ReferenceId})", failure.Path, ReferenceId);
        }

        (Title, Message) = code switch
        {
            400 => ("Request not accepted", "The form could not be accepted. Reload the page and try again."),
            401 => ("Please sign in", "Sign in to see this page."),
            403 => ("No access", "You do not have access to this page."),
            404 => ("Page not found", "We could not find that page."),
            413 => ("Upload too large", HttpContext.Features.Get<Retail.Host.Web.RefusalMessage>()?.Text ?? "The upload is larger than this page accepts."),
            429 => ("Too many requests", UserMessages.RateLimited),
            503 => ("Please try again shortly", UserMessages.Overloaded),
            _ => ("Something went wrong", UserMessages.Unexpected),
        };
        Response.StatusCode = code is >= 400 and < 600 ? code : 500;
    }
}
