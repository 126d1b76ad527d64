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

    public void OnGet(int? statusCode) => Describe(statusCode);

    public void OnPost(int? statusCode) => Describe(statusCode);

    private void Describe(int? statusCode)
    {
        var code = statusCode ?? HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalStatusCode ?? 500;
        if (HttpContext.Features.Get<IExceptionHandlerFeature>() is { } failure)
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
