using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Domain;

namespace Retail.BuildingBlocks.Infrastructure.Web;

/// <summary>
/// The one place unexpected exceptions become answers. API requests get problem details with a code and the trace id,
/// never exception text; page requests fall through to the <c>/Error</c> page, which shows the same reference id.
/// </summary>
internal sealed class RetailExceptionHandler(ILogger<RetailExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // UseExceptionHandler("/Error") has already rewritten Request.Path to the error page; the request's own path is here.
        var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path is { } original ? new PathString(original) : httpContext.Request.Path;
        var error = exception switch
        {
            BusinessRuleValidationException rule => new Error("rule." + rule.RuleName, rule.Message, ErrorKind.Unprocessable),
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                new Error("payload_too_large", "The request body is too large.", ErrorKind.Validation),
            // One value that could not be read (a JSON number too large for its field, a query parameter that is not a
            // number) names its field like any validation error; broken JSON syntax stays a bad request about the body.
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status400BadRequest
                && BindingFailures.Describe(bad, httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint) is { } unreadable => unreadable,
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status400BadRequest =>
                new Error("bad_request", "The request could not be read. Check the JSON body and parameters.", ErrorKind.Validation),
            BadHttpRequestException bad => new Error(ProblemResults.CodeOfStatus(bad.StatusCode), "The request could not be read.", ErrorKind.Validation),
            _ => null,
        };

        var status = exception is BadHttpRequestException badRequest ? badRequest.StatusCode
            : error is not null ? ProblemResults.StatusCodeOf(error.Kind)
            : StatusCodes.Status500InternalServerError;
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", httpContext.Request.Method, path);
        }
        else
        {
            logger.LogWarning("Request on {Path} rejected: {ExceptionType} {Message}", path, exception.GetType().Name, exception.Message);
        }

        if (!path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        error ??= new Error("unexpected", UserMessages.Unexpected, ErrorKind.Unavailable);
        httpContext.Response.StatusCode = status;
        var problem = error.Kind == ErrorKind.Validation && error.FieldErrors.Count == 0
            ? Microsoft.AspNetCore.Http.Results.Problem(detail: error.Message, statusCode: status, title: "Bad request",
                extensions: new Dictionary<string, object?> { ["code"] = error.Code, ["traceId"] = ProblemResults.ReferenceId(httpContext) })
            : error.ToProblem(httpContext);
        if (status == StatusCodes.Status500InternalServerError)
        {
            problem = Microsoft.AspNetCore.Http.Results.Problem(detail: UserMessages.Unexpected, statusCode: status, title: "Server error",
                extensions: new Dictionary<string, object?> { ["code"] = "unexpected", ["traceId"] = ProblemResults.ReferenceId(httpContext) });
        }

        await problem.ExecuteAsync(httpContext);
        return true;
    }
}
