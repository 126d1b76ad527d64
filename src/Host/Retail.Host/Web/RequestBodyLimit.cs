using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Retail.BuildingBlocks.Infrastructure.Web;

namespace Retail.Host.Web;

/// <summary>
/// The default body limit (<see cref="RequestLimits.DefaultMaxBodyBytes"/>) in the app's own pipeline. Kestrel's
/// MaxRequestBodySize holds only on Kestrel, and there a page form over it failed in antiforgery's form read as its
/// generic 400 while an API read the whole body when no server limit applied (the test host) and answered 400 by
/// validation. Here a declared length over the limit is a 413 before a byte is read, and a body without one (chunked) is a
/// 413 as soon as it grows past the limit: a JSON problem on the APIs (status code pages), the error page with the
/// reference id on pages. Endpoints with their own size metadata (the upload pages and APIs: <c>[RequestSizeLimit]</c>,
/// <c>DisableRequestSizeLimit</c>) keep their own limits: routing gives them to the server, and the upload pages
/// answer their own 413 (<see cref="FormTooLargeFilter"/>).
/// </summary>
internal sealed partial class RequestBodyLimitMiddleware(RequestDelegate next, ILogger<RequestBodyLimitMiddleware> logger)
{
    private const long Limit = RequestLimits.DefaultMaxBodyBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        // The re-executed error page answers for a request already refused (or failed); refusing it again would leave the
        // user an empty 413 instead of the page.
        if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is not null
            || context.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || context.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            await next(context);
            return;
        }

        if (request.ContentLength > Limit)
        {
            Refuse(context);
            return;
        }

        // The server delivers no more than a declared length; a request that cannot have a body (every GET of the listing
        // under load) gets no wrapper to allocate.
        if (request.ContentLength is not null || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            await next(context);
            return;
        }

        // A server that enforces a limit (Kestrel) stops the body itself; the wrapper stops it on any other (the test host)
        // and tells this middleware the body was refused, whichever of them stopped it.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = Limit;
        }

        var body = request.Body;
        var capped = new CappedRequestBody(body, Limit);
        request.Body = capped;
        try
        {
            await next(context);
        }
        catch (Exception) when (capped.Exceeded && !context.Response.HasStarted)
        {
            // Whatever read the body (a form reader, antiforgery, model binding) failed because it was cut off: the answer
            // is the 413 below, not that reader's own error.
        }
        finally
        {
            request.Body = body;
        }

        // The reader may have answered its own way (minimal APIs drop a body that fails to read, antiforgery gives 400).
        if (capped.Exceeded && !context.Response.HasStarted)
        {
            context.Response.Clear();
            Refuse(context);
        }
    }

    private void Refuse(HttpContext context)
    {
        var request = context.Request;
        LogTooLarge(logger, request.Path, request.ContentLength, Limit, ProblemResults.ReferenceId(context));
        if (request.HasFormContentType)
        {
            // The error page that answers the status must not read the oversize body again while binding its parameters.
            request.Form = FormCollection.Empty;
        }

        context.Features.Set(new RefusalMessage($"The form is larger than this page accepts (at most {Limit / (1024 * 1024)} MB). Shorten what you entered and try again."));
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Body on {Path} refused as too large: {Length} bytes declared, limit {Limit} (reference {ReferenceId})")]
    private static partial void LogTooLarge(ILogger logger, PathString path, long? length, long limit, string referenceId);

    /// <summary>A request body that fails with the server's own 413 once more than <c>limit</c> bytes are read from it.</summary>
    private sealed class CappedRequestBody(Stream inner, long limit) : Stream
    {
        private long read;

        public bool Exceeded { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int count;
            try
            {
                count = inner.Read(buffer);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                Exceeded = true;
                throw;
            }

            return Counted(count);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int count;
            try
            {
                count = await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                Exceeded = true;
                throw;
            }

            return Counted(count);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Counted(int count)
        {
            read += count;
            if (read > limit)
            {
                Exceeded = true;
                throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
            }

            return count;
        }
    }
}
