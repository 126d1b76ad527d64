using Microsoft.AspNetCore.Http;
using Retail.Modules.Monitoring.Application.Timing;

namespace Retail.Modules.Monitoring.Infrastructure.Timing;

/// <summary>
/// Times every request from the outside of the pipeline (error pages and status-code re-execution included) and
/// hands path, final status, duration and whether the caller was authenticated to the <see cref="RequestTimingRecorder"/>.
/// The user is read after the pipeline: the authorization middleware replaces <c>HttpContext.User</c> with the principal of
/// an endpoint's own scheme (the partner API key), so that counts as authenticated too.
/// </summary>
internal sealed class RequestTimingMiddleware(RequestDelegate next, RequestTimingRecorder recorder, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        var path = context.Request.Path.Value;
        var method = context.Request.Method;
        try
        {
            await next(context);
        }
        catch
        {
            recorder.Record(path, StatusCodes.Status500InternalServerError, time.GetElapsedTime(started), method, IsAuthenticated(context));
            throw;
        }

        recorder.Record(path, context.Response.StatusCode, time.GetElapsedTime(started), method, IsAuthenticated(context));
    }

    private static bool IsAuthenticated(HttpContext context) => context.User.Identity?.IsAuthenticated == true;
}
