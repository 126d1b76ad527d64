using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Infrastructure.Web;
using Retail.Modules.Catalog.Application.Categories.GetCategories;
using Retail.Modules.Catalog.Application.Products;
using Retail.Modules.Catalog.Application.Products.AdjustStock;
using Retail.Modules.Catalog.Application.Products.CreateProduct;
using Retail.Modules.Catalog.Application.Products.GetProduct;
using Retail.Modules.Catalog.Application.Products.GetStockMovements;
using Retail.Modules.Catalog.Application.Products.SearchProducts;
using Retail.Modules.Catalog.Application.Products.UpdateProduct;

namespace Retail.Modules.Catalog.Infrastructure.Endpoints;

/// <summary>Request bodies of the Catalog API.</summary>
/// <param name="Version">On an update: the <c>version</c> the product had when read; a stale one is a 409 <c>catalog.product_changed</c>.</param>
public sealed record ProductUpsertRequest(string? Sku, string Name, string? Description, string Category, decimal Price, int InitialStock, IReadOnlyList<string>? ImageUrls, bool IsActive = true, int? Version = null);

public sealed record StockAdjustmentRequest(int Delta, string Reason);

public sealed record StockLevelResponse(string Sku, int Stock);

public static class CatalogEndpoints
{
    /// <summary>Public reads under <c>/api/catalog</c>, plus catalog-admin writes; same commands and queries as the pages.</summary>
    public static IEndpointRouteBuilder MapCatalogEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/catalog").WithTags("Catalog");

        api.MapGet("/products", async (string? search, string? category, int? page, int? pageSize, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new SearchProductsQuery(search, category, page ?? 1, pageSize ?? 24), ct)).ToHttpResult(http, TypedResults.Ok))
            .AllowAnonymous()
            .WithName("SearchProducts")
            .WithSummary("Search active products by name, SKU or description; paged (pageSize ≤ 100).")
            .Produces<PagedResult<ProductSummaryDto>>()
            .ProducesValidationProblem();

        api.MapGet("/products/{sku}", async (string sku, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetProductQuery(sku), ct)).ToHttpResult(http, TypedResults.Ok))
            .AllowAnonymous()
            .WithName("GetProduct")
            .Produces<ProductDetailDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/categories", async (IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetCategoriesQuery(), ct)).ToHttpResult(http, TypedResults.Ok))
            .AllowAnonymous()
            .WithName("GetCategories")
            .Produces<IReadOnlyList<CategoryDto>>();

        var admin = api.MapGroup("").RequireAuthorization(Roles.CatalogAdmin);

        admin.MapPost("/products", async (ProductUpsertRequest body, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new CreateProductCommand(body.Sku ?? "", body.Name, body.Description, body.Category, body.Price, body.InitialStock, body.ImageUrls, body.IsActive), ct))
                    .ToHttpResult(http, sku => TypedResults.Created($"/api/catalog/products/{sku}", new { sku })))
            .WithName("CreateProduct")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapPut("/products/{sku}", async (string sku, ProductUpsertRequest body, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new UpdateProductCommand(sku, body.Name, body.Description, body.Category, body.Price, body.ImageUrls, body.IsActive, body.Version), ct))
                    .ToHttpResult(http, TypedResults.NoContent))
            .WithName("UpdateProduct")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapPost("/products/{sku}/stock-adjustments", async (string sku, StockAdjustmentRequest body, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new AdjustStockCommand(sku, body.Delta, body.Reason), ct))
                    .ToHttpResult(http, stock => TypedResults.Ok(new StockLevelResponse(sku.ToUpperInvariant(), stock))))
            .WithName("AdjustStock")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapGet("/products/{sku}/stock-movements", async (string sku, int? page, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetStockMovementsQuery(sku, page ?? 1), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetStockMovements")
            .Produces<PagedResult<StockMovementDto>>();

        return endpoints;
    }
}
