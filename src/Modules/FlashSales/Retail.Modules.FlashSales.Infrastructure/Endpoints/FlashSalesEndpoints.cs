using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Infrastructure.Web;
using Retail.Modules.FlashSales.Application.Listing;
using Retail.Modules.FlashSales.Application.Sales;

namespace Retail.Modules.FlashSales.Infrastructure.Endpoints;

/// <summary>
/// Body of create and update: times are ISO 8601 instants (with offset). <see cref="Version"/> (update only) is the
/// <c>version</c> of the sale as last read; when someone else saved it since, the update is answered 409 "reload".
/// </summary>
public sealed record FlashSaleRequest(string Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt, IReadOnlyList<FlashSaleItemInput> Items, int? Version = null);

public static class FlashSalesEndpoints
{
    /// <summary>The public listing under <c>/api/flash</c>, plus catalog-admin sale management; same requests as the pages.</summary>
    public static IEndpointRouteBuilder MapFlashSalesEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/flash").WithTags("Flash sales");

        api.MapGet("/products", async (IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetFlashProductsQuery(), ct)).ToHttpResult(http, TypedResults.Ok))
            .AllowAnonymous()
            .WithName("GetFlashProducts")
            .WithSummary("Live and upcoming flash sales (cached; remaining units may lag by up to 30 s). 503 while flash sales are switched off.")
            .Produces<FlashListingDto>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var admin = api.MapGroup("/sales").RequireAuthorization(Roles.CatalogAdmin);

        admin.MapGet("", async (string? search, int? page, int? pageSize, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetFlashSalesQuery(search, page ?? 1, pageSize ?? 25), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetFlashSales")
            .WithSummary("The sales, newest window first; paged (pageSize ≤ 100), searchable by a part of the name or of a SKU.")
            .Produces<PagedResult<FlashSaleSummaryDto>>()
            .ProducesValidationProblem();

        admin.MapGet("/{id:guid}", async (Guid id, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetFlashSaleQuery(id), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetFlashSale")
            .WithSummary("One sale with live figures: sold, remaining and holds per product, 429s, payment breaker state.")
            .Produces<FlashSaleDetailDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        admin.MapPost("", async (FlashSaleRequest body, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new CreateFlashSaleCommand(body.Name, body.StartsAt, body.EndsAt, body.Items ?? []), ct))
                    .ToHttpResult(http, id => TypedResults.Created($"/api/flash/sales/{id}", new { id })))
            .WithName("CreateFlashSale")
            .ProducesValidationProblem();

        admin.MapPut("/{id:guid}", async (Guid id, FlashSaleRequest body, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new UpdateFlashSaleCommand(id, body.Name, body.StartsAt, body.EndsAt, body.Items ?? [], body.Version), ct))
                    .ToHttpResult(http, TypedResults.NoContent))
            .WithName("UpdateFlashSale")
            .WithSummary("Replaces the sale's name, window and products. Send the version last read: 409 flash.sale_changed when someone saved it since.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapPost("/{id:guid}/end", async (Guid id, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new EndFlashSaleCommand(id), ct)).ToHttpResult(http, TypedResults.NoContent))
            .WithName("EndFlashSale")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return endpoints;
    }
}
