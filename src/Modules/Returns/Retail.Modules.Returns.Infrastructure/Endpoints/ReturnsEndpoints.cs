using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Infrastructure.Web;
using Retail.Modules.Returns.Application;
using Retail.Modules.Returns.Application.Outcomes;
using Retail.Modules.Returns.Application.Photos;
using Retail.Modules.Returns.Application.Queues;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Application.Returns.Details;
using Retail.Modules.Returns.Application.Returns.GetEligibility;
using Retail.Modules.Returns.Application.Returns.GetMine;
using Retail.Modules.Returns.Application.Returns.Submit;
using Retail.Modules.Returns.Application.Returns.Transition;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Returns.Infrastructure.Endpoints;

/// <summary>Body of <c>POST /api/returns</c>.</summary>
public sealed record SubmitReturnRequest(Guid? OrderId, IReadOnlyList<ReturnItemInput>? Items, string? Reason, string? Note, string? PreferredOutcome);

/// <summary>Body of every transition: the inputs the table asks for, and the version the caller saw (409 "reload" when stale).</summary>
public sealed record TransitionRequest(
    string? Reason,
    string? TrackingNumber,
    string? Grade,
    string? Mismatch,
    string? Notes,
    IReadOnlyList<LineDispositionInput>? Dispositions,
    int? Version,
    IReadOnlyList<LineReceivedInput>? Received = null);

public sealed record RepairShippedRequest(string? Note, int? Version);

public static class ReturnsEndpoints
{
    /// <summary>Largest photo request accepted before reading (the handler applies <c>Returns:MaxPhotoBytes</c> exactly).</summary>
    public const long MaxPhotoRequestBytes = 10 * 1024 * 1024;

    /// <summary>
    /// <c>/api/returns</c> for customers (bearer or cookie) and <c>/api/staff/returns</c> for support, warehouse and
    /// finance. Same commands and queries, and therefore the same transition table and role rules, as the pages.
    /// </summary>
    public static IEndpointRouteBuilder MapReturnsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/returns").WithTags("Returns").RequireAuthorization();

        api.MapGet("", async (int? page, int? pageSize, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetMyReturnsQuery(page ?? 1, pageSize ?? 20), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetMyReturns")
            .Produces<PagedResult<ReturnSummaryDto>>();

        api.MapGet("/returnable-orders", async (IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetMyReturnableOrdersQuery(), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetMyReturnableOrders")
            .Produces<IReadOnlyList<ReturnableOrderDto>>();

        api.MapGet("/eligibility/{orderId:guid}", async (Guid orderId, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetReturnEligibilityQuery(orderId), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetReturnEligibility")
            .Produces<ReturnEligibilityDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", async (SubmitReturnRequest body, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new SubmitReturnCommand(body.OrderId ?? Guid.Empty, body.Items ?? [], body.Reason ?? "", body.Note, body.PreferredOutcome ?? ""), ct))
                    .ToHttpResult(http, created => TypedResults.Created($"/api/returns/{created.Code}", created)))
            .WithName("SubmitReturn")
            .WithSummary("Start a return from a delivered order: 201 with the RMA code; 400/404/409/422 problems.")
            .Produces<SubmittedReturnDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/{code}", async (string code, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetReturnQuery(code), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetReturn")
            .Produces<ReturnDetailDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{code}/cancel", (string code, TransitionRequest? body, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                TransitionAsync(code, "cancel", body, sender, http, ct))
            .WithName("CancelReturn")
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/{code}/ship", (string code, TransitionRequest? body, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                TransitionAsync(code, "ship", body, sender, http, ct))
            .WithName("ShipReturn")
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/{code}/photos", UploadPhotoAsync)
            .WithName("AddReturnPhoto")
            .WithSummary("Raw image bytes as the body (Content-Type image/jpeg, image/png, image/webp or application/octet-stream); the type is decided from the bytes.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxPhotoRequestBytes))
            .Produces<PhotoDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/{code}/photos/{photoId:guid}", async (string code, Guid photoId, IRequestSender sender, HttpContext http, CancellationToken ct) =>
            {
                var photo = await sender.Send(new GetReturnPhotoQuery(code, photoId), ct);
                if (!photo.IsSuccess)
                {
                    return photo.Error.ToProblem(http);
                }

                http.Response.Headers.CacheControl = "private, no-store";
                http.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.File(photo.Value.Content, photo.Value.ContentType);
            })
            .WithName("GetReturnPhoto");

        var staff = endpoints.MapGroup("/api/staff/returns").WithTags("Returns (staff)")
            .RequireAuthorization(p => p.RequireRole(Roles.Support, Roles.Warehouse, Roles.Finance, Roles.Admin, Roles.SuperAdmin));

        staff.MapGet("", async (string? team, string? status, string? search, bool? overdueOnly, int? page, int? pageSize, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetReturnQueueQuery(team ?? "", status, search, overdueOnly ?? false, page ?? 1, pageSize ?? 20), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetReturnQueue")
            .Produces<ReturnQueueResultDto>();

        staff.MapGet("/overview", async (IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetReturnsOverview(), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetReturnsOverview")
            .Produces<ReturnsOverviewDto>();

        staff.MapGet("/{code}", async (string code, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetReturnQuery(code), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetReturnForStaff")
            .Produces<ReturnDetailDto>();

        staff.MapPost("/{code}/repair-shipped", async (string code, RepairShippedRequest? body, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new RecordRepairShippedCommand(code, body?.Note, body?.Version), ct)).ToHttpResult(http, TypedResults.NoContent))
            .WithName("RecordRepairShipped");

        staff.MapPost("/{code}/execute-outcomes", async (string code, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new ExecuteReturnOutcomesCommand(code), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("ExecuteReturnOutcomes")
            .Produces<OutcomeRunReport>();

        staff.MapPost("/{code}/{action}", (string code, string action, TransitionRequest? body, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                TransitionAsync(code, action, body, sender, http, ct))
            .WithName("TransitionReturn")
            .WithSummary("Any action of the transition table (validate, approve, reject, receive, start-inspection, inspect, decide, process): 409 when illegal from the current stage or stale, 403 for the wrong role.")
            .Produces<TransitionResultDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return endpoints;
    }

    private static async Task<IResult> TransitionAsync(string code, string action, TransitionRequest? body, IRequestSender sender, HttpContext http, CancellationToken ct)
    {
        var input = body is null ? null : new TransitionInputDto(body.Reason, body.TrackingNumber, body.Grade, body.Mismatch, body.Notes, body.Dispositions, body.Received);
        var result = await sender.Send(new TransitionReturnCommand(code, action, input, body?.Version), ct);
        if (result.IsSuccess && result.Value.Status == "PROCESSING")
        {
            // Execute the outcome right away; when Payments is down the returns-outcomes job keeps retrying.
            await sender.Send(new ExecuteReturnOutcomesCommand(code), ct);
        }

        return result.ToHttpResult(http, TypedResults.Ok);
    }

    private static async Task<IResult> UploadPhotoAsync(string code, HttpContext http, IRequestSender sender, IOptions<ReturnsOptions> options, CancellationToken ct)
    {
        var contentType = http.Request.ContentType ?? "";
        if (contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || contentType.Length == 0)
        {
            // Form and text bodies are refused: they are what a cross-site form could send with the user's cookie.
            return Results.Problem(
                detail: "Send the image bytes as the body with an image/* or application/octet-stream content type.",
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                extensions: new Dictionary<string, object?> { ["code"] = "returns.photo_media_type", ["traceId"] = ProblemResults.ReferenceId(http) });
        }

        var max = options.Value.MaxPhotoBytes;
        if (http.Request.ContentLength is { } length && length > max)
        {
            return PhotoErrors.TooLarge(max).ToProblem(http);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max)
            {
                return PhotoErrors.TooLarge(max).ToProblem(http);
            }
        }

        var result = await sender.Send(new AddReturnPhotoCommand(code, buffer.ToArray()), ct);
        return result.ToHttpResult(http, photo => TypedResults.Created($"/api/returns/{ReturnCodesText(code)}/photos/{photo.Id}", photo));
    }

    private static string ReturnCodesText(string code) => Uri.EscapeDataString(code.Trim().ToUpperInvariant());
}
