using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Retail.Host.Web;

/// <summary>
/// What a page with an upload form tells the user whose form was over the page's body limit: what the page accepts and
/// what to do instead. Created per request from the request's services, so it can read the options the limits come from.
/// </summary>
public interface IFormTooLargeMessage
{
    string Text { get; }
}

/// <summary>
/// On a page with a <c>[RequestSizeLimit]</c>/<c>[RequestFormLimits]</c> upload form: a form over the limit is a 413 on the
/// error page, with the reference id and the text of <typeparamref name="TMessage"/>, instead of antiforgery's generic 400
/// (see <see cref="FormTooLargeFilter"/>). The one way the pages do this.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class FormTooLargeAttribute<TMessage> : Attribute, IFilterFactory, IOrderedFilter
    where TMessage : class, IFormTooLargeMessage
{
    public int Order => FormTooLargeFilter.FilterOrder;

    // A new filter per request: the message may depend on scoped services and reads options when it is shown.
    public bool IsReusable => false;

    public IFilterMetadata CreateInstance(IServiceProvider serviceProvider) =>
        new FormTooLargeFilter(ActivatorUtilities.CreateInstance<TMessage>(serviceProvider), serviceProvider.GetRequiredService<ILogger<FormTooLargeFilter>>());
}

/// <summary>
/// A form over its page's body limit is a 413 saying what the page accepts (the page's <see cref="IFormTooLargeMessage"/>),
/// on the error page with the reference id. Antiforgery reads the form before the page runs and fails on the size, so the
/// user got the generic 400 "Reload the page and try again" and would try the same upload again.
/// </summary>
internal sealed partial class FormTooLargeFilter(IFormTooLargeMessage message, ILogger<FormTooLargeFilter> logger) : IAsyncAuthorizationFilter
{
    /// <summary>
    /// After the page's <c>[RequestSizeLimit]</c>/<c>[RequestFormLimits]</c> (900), which set the limits the form is read
    /// with, and before antiforgery (1000), which is the first to read the form.
    /// </summary>
    public const int FilterOrder = 950;

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

        LogTooLarge(logger, request.Path, request.ContentLength, limit, Retail.BuildingBlocks.Infrastructure.Web.ProblemResults.ReferenceId(http));
        // The error page that answers the status must not read the oversize body again while binding its own parameters.
        request.Form = FormCollection.Empty;
        http.Features.Set(new RefusalMessage(message.Text));
        context.Result = new Microsoft.AspNetCore.Mvc.StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Form on {Path} refused as too large: {Length} bytes, limit {Limit} (reference {ReferenceId})")]
    private static partial void LogTooLarge(ILogger logger, PathString path, long? length, long? limit, string referenceId);
}
