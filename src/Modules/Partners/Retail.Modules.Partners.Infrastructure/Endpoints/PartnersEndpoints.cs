using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Infrastructure.Web;
using Retail.Modules.Partners.Application;
using Retail.Modules.Partners.Application.Feeds;
using Retail.Modules.Partners.Application.Webhooks;
using Retail.Modules.Partners.Domain.Feeds;
using Retail.Modules.Partners.Infrastructure.Auth;

namespace Retail.Modules.Partners.Infrastructure.Endpoints;

public static class PartnersEndpoints
{
    /// <summary>Largest webhook body read.</summary>
    public const int MaxWebhookBytes = 16 * 1024;

    private static readonly IReadOnlyList<string> FeedKindNames = Enum.GetNames<FeedKind>();

    /// <summary>
    /// The partner API under <c>/api/partners</c>, all behind <c>X-Api-Key</c>: feeds (upload, validate-only), job status,
    /// reports and error CSVs, the stock webhook and its delivery log.
    /// </summary>
    public static IEndpointRouteBuilder MapPartnersEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/partners").WithTags("Partners")
            .RequireAuthorization(p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser())
            // After the endpoint's work, before its answer is written: the key check's audit row has committed.
            .AddEndpointFilter(async (context, next) =>
            {
                var result = await next(context);
                await ApiKeyAuthenticationHandler.AuditedAsync(context.HttpContext);
                return result;
            });

        api.MapPost("/feeds", SubmitFeedAsync)
            .WithName("SubmitPartnerFeed")
            .WithSummary("Sends a product feed (multipart file or raw body; CSV, TSV/Google Merchant, JSON, XML/RSS). Small feeds are processed at once (200 with the report); larger ones answer 202 with a job to poll. ?mode=validate (or a sandbox key) writes nothing; ?kind=full deactivates products missing from the feed.")
            .Produces<FeedJobDto>()
            .Produces<FeedJobDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new DisableRequestSizeLimitAttribute()); // the feed's own limit is enforced while it is stored

        api.MapGet("/jobs", async (int? page, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new ListFeedJobsQuery(http.User.PartnerId(), page ?? 1), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("ListPartnerFeedJobs").WithSummary("Your feed jobs, newest first.");

        api.MapGet("/jobs/{id:guid}", async (Guid id, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetFeedReportQuery(http.User.PartnerId(), id, 1, 0), ct)).ToHttpResult(http, r => TypedResults.Ok(r.Job)))
            .WithName("GetPartnerFeedJob").WithSummary("Status and percent progress of a feed job (another partner's id answers 404).")
            .Produces<FeedJobDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/jobs/{id:guid}/report", async (Guid id, int? page, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetFeedReportQuery(http.User.PartnerId(), id, page ?? 1), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetPartnerFeedReport").WithSummary("Counts and row errors (line, field, code, message), 100 per page.")
            .Produces<FeedReportDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/jobs/{id:guid}/errors.csv", async (Guid id, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetFeedErrorCsvQuery(http.User.PartnerId(), id), ct))
                    .ToHttpResult(http, csv => TypedResults.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv", $"feed-{id:N}-errors.csv")))
            .WithName("GetPartnerFeedErrorCsv").WithSummary("The row errors as a CSV file.");

        api.MapPost("/webhooks/stock", ReceiveStockAsync)
            .WithName("PartnerStockWebhook")
            .WithSummary("Sets the stock of one of your products. Headers: X-Api-Key, X-Timestamp (unix seconds), X-Signature (hex HMAC-SHA256 of 'timestamp.body' with your webhook secret), X-Delivery-Id. Body: {\"sku\",\"quantity\",\"sequence\"}. Answers 202; applied in the background; repeats (same body) report the first outcome, a used delivery id with another body is 422.")
            .Produces<WebhookDeliveryDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/webhooks/deliveries", async (IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new ListWebhookDeliveriesQuery(http.User.PartnerId()), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("ListPartnerWebhookDeliveries").WithSummary("Your stock webhook deliveries with their outcome and callback attempts.");

        return endpoints;
    }

    private static async Task<IResult> SubmitFeedAsync(HttpContext http, string? mode, string? kind, CancellationToken ct)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<PartnersOptions>>().Value;
        if (http.Request.ContentLength is { } length && length > options.MaxFeedBytes + 64 * 1024)
        {
            return TooLarge(http, options.MaxFeedBytes);
        }

        var feedMode = http.User.IsSandbox() || string.Equals(mode, "validate", StringComparison.OrdinalIgnoreCase) ? FeedMode.Validate : FeedMode.Import;
        if (mode is not null && !string.Equals(mode, "validate", StringComparison.OrdinalIgnoreCase) && !string.Equals(mode, "import", StringComparison.OrdinalIgnoreCase))
        {
            return Error.Validation(new Dictionary<string, string[]> { ["mode"] = ["mode is 'import' (default) or 'validate'."] }).ToProblem(http);
        }

        // The names only: Enum.TryParse took "1" and "Delta,Full" as a full feed (which deactivates what the feed leaves out).
        var feedKind = FeedKind.Delta;
        if (kind is not null && !EnumNames.TryParse(kind, FeedKindNames, out feedKind))
        {
            return Error.Validation(new Dictionary<string, string[]> { ["kind"] = ["kind is 'delta' (default) or 'full'."] }).ToProblem(http);
        }

        var idempotencyKey = http.Request.Headers["Idempotency-Key"].ToString();
        Stream body;
        string? contentType;
        string? fileName;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = options.MaxFeedBytes + 1 }, ct);
            var file = form.Files.FirstOrDefault();
            if (file is null)
            {
                return Error.Validation(new Dictionary<string, string[]> { ["file"] = ["Attach the feed as a file."] }).ToProblem(http);
            }

            body = file.OpenReadStream();
            contentType = file.ContentType;
            fileName = file.FileName;
        }
        else
        {
            body = http.Request.Body;
            contentType = http.Request.ContentType;
            fileName = http.Request.Headers["X-File-Name"].ToString() is { Length: > 0 } name ? name : null;
        }

        var submissions = http.RequestServices.GetRequiredService<FeedSubmissions>();
        Result<FeedSubmissionResult> result;
        try
        {
            result = await submissions.SubmitAsync(new FeedUpload(http.User.PartnerId(), body, contentType, fileName, feedMode, feedKind, FeedSource.Api, idempotencyKey), ct);
        }
        catch (InvalidDataException)
        {
            return TooLarge(http, options.MaxFeedBytes);
        }
        finally
        {
            await body.DisposeAsync();
        }

        if (!result.IsSuccess)
        {
            return result.Error.Code == FeedSubmissions.TooLarge.Code ? TooLarge(http, options.MaxFeedBytes) : result.Error.ToProblem(http);
        }

        var job = result.Value.Job;
        var location = $"/api/partners/jobs/{job.Id}";
        return result.Value.Outcome switch
        {
            SubmissionOutcome.Accepted => TypedResults.Accepted(location, job),
            SubmissionOutcome.Repeated => Repeated(http, job),
            _ => TypedResults.Ok(job),
        };
    }

    private static IResult Repeated(HttpContext http, FeedJobDto job)
    {
        http.Response.Headers["Idempotent-Replay"] = "true";
        return TypedResults.Ok(job);
    }

    private static IResult TooLarge(HttpContext http, long limit) =>
        Results.Problem(
            detail: $"The body is larger than the limit of {limit} bytes; split the feed into several (delta) feeds.",
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Payload too large",
            extensions: new Dictionary<string, object?> { ["code"] = "partners.feed_too_large", ["traceId"] = ProblemResults.ReferenceId(http) });

    private static async Task<IResult> ReceiveStockAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Request.ContentLength is > MaxWebhookBytes)
        {
            return TooLarge(http, MaxWebhookBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxWebhookBytes)
            {
                return TooLarge(http, MaxWebhookBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        var receiver = http.RequestServices.GetRequiredService<StockWebhookReceiver>();
        var headers = http.Request.Headers;
        var result = await receiver.ReceiveAsync(http.User.PartnerId(), headers["X-Delivery-Id"].ToString(), headers["X-Timestamp"].ToString(),
            headers["X-Signature"].ToString(), buffer.ToArray(), http.Connection.RemoteIpAddress?.ToString() ?? "", http.Request.Path.Value ?? "", ct);
        return result.ToHttpResult(http, d => TypedResults.Accepted($"/api/partners/webhooks/deliveries", d));
    }
}
