using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Retail.BuildingBlocks.Application;

namespace Retail.BuildingBlocks.Infrastructure.Web;

/// <summary>Maps expected failures to RFC 9457 problem details with a stable <c>code</c> and the trace id.</summary>
public static class ProblemResults
{
    public static int StatusCodeOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The stable <c>code</c> of a problem that carries only a status (routing, authentication, server limits).</summary>
    public static string CodeOfStatus(int? status) => status switch
    {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        429 => "rate_limited",
        _ => "error",
    };

    /// <summary>
    /// The problem body for a response that ended with only a status code. Always JSON: the problem details service
    /// writes nothing when the client's Accept header leaves JSON out (a browser opening an API address, a client asking
    /// for XML), and the status code pages then answered <c>text/plain</c> without the code or the reference.
    /// </summary>
    public static Task WriteStatusProblemAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var status = context.Response.StatusCode;
        return Results.Problem(statusCode: status, extensions: new Dictionary<string, object?>
        {
            ["code"] = CodeOfStatus(status),
            ["traceId"] = ReferenceId(context),
        }).ExecuteAsync(context);
    }

    /// <summary>The id a user can quote; the same trace id appears in every log line of the request.</summary>
    public static string ReferenceId(HttpContext? context) => Activity.Current?.TraceId.ToString() ?? context?.TraceIdentifier ?? "";

    public static IResult ToProblem(this Error error, HttpContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var extensions = new Dictionary<string, object?>
        {
            ["code"] = error.Code,
            ["traceId"] = ReferenceId(context),
        };
        if (error.RetryAfter is { } retryAfter && context is not null)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var status = StatusCodeOf(error.Kind);
        if (error.Kind == ErrorKind.Validation)
        {
            return Results.ValidationProblem(
                error.FieldErrors.ToDictionary(p => p.Key, p => p.Value),
                detail: error.Message,
                extensions: extensions);
        }

        // A refusal keyed by field (an item of an order by its SKU, a product of a flash sale) says which one under the same
        // "errors" member a validation problem has; without it a caller sending several could not tell which was refused.
        if (error.FieldErrors.Count > 0)
        {
            extensions["errors"] = error.FieldErrors;
        }

        return Results.Problem(detail: error.Message, statusCode: status, title: TitleOf(error.Kind), extensions: extensions);
    }

    /// <summary>Success → <paramref name="onSuccess"/>; failure → problem details.</summary>
    public static IResult ToHttpResult<TValue>(this Result<TValue> result, HttpContext context, Func<TValue, IResult> onSuccess)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(onSuccess);
        return result.IsSuccess ? onSuccess(result.Value) : result.Error.ToProblem(context);
    }

    public static IResult ToHttpResult(this Result result, HttpContext context, Func<IResult> onSuccess)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(onSuccess);
        return result.IsSuccess ? onSuccess() : result.Error.ToProblem(context);
    }

    private static string TitleOf(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => "Not found",
        ErrorKind.Conflict => "Conflict",
        ErrorKind.Unauthorized => "Unauthorized",
        ErrorKind.Forbidden => "Forbidden",
        ErrorKind.RateLimited => "Too many requests",
        ErrorKind.Unavailable => "Service unavailable",
        ErrorKind.Unprocessable => "Unprocessable request",
        _ => "Bad request",
    };
}
