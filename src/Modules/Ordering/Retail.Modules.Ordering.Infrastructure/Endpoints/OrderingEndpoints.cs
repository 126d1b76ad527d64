using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Infrastructure.Web;
using Retail.Modules.Ordering.Application.Carts;
using Retail.Modules.Ordering.Application.Carts.AddToCart;
using Retail.Modules.Ordering.Application.Carts.GetCart;
using Retail.Modules.Ordering.Application.Carts.RemoveCartLine;
using Retail.Modules.Ordering.Application.Carts.UpdateCartLine;
using Retail.Modules.Ordering.Application.Orders;
using Retail.Modules.Ordering.Application.Orders.GetMyOrder;
using Retail.Modules.Ordering.Application.Orders.GetMyOrders;
using Retail.Modules.Ordering.Application.Orders.GetOrdersForStaff;
using Retail.Modules.Ordering.Application.Orders.MarkShipped;
using Retail.Modules.Ordering.Application.Orders.PlaceOrder;

namespace Retail.Modules.Ordering.Infrastructure.Endpoints;

/// <summary>Body of <c>POST /api/cart/items</c>.</summary>
public sealed record CartItemRequest(string Sku, int Quantity);

/// <summary>Body of <c>POST /api/checkout</c>. There is no price field: prices always come from the catalog.</summary>
public sealed record CheckoutRequest(
    IReadOnlyList<OrderItemInput>? Items,
    ShippingAddressInput? ShippingAddress,
    string? PaymentMethod,
    IReadOnlyDictionary<string, string>? PaymentDetails,
    decimal? StoreCredit);

public static class OrderingEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Cart, checkout and order history for signed-in customers; shipping for the warehouse. Same handlers as the pages.</summary>
    public static IEndpointRouteBuilder MapOrderingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Ordering").RequireAuthorization();

        api.MapGet("/cart", async (IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetCartQuery(), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetCart")
            .Produces<CartDto>();

        api.MapPost("/cart/items", async (CartItemRequest body, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new AddToCartCommand(body.Sku, body.Quantity), ct))
                    .ToHttpResult(http, quantity => TypedResults.Ok(new { sku = body.Sku.Trim().ToUpperInvariant(), quantity })))
            .WithName("AddToCart")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPut("/cart/items/{sku}", async (string sku, CartItemRequest body, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new UpdateCartLineCommand(sku, body.Quantity), ct)).ToHttpResult(http, TypedResults.NoContent))
            .WithName("UpdateCartLine");

        api.MapDelete("/cart/items/{sku}", async (string sku, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new RemoveCartLineCommand(sku), ct)).ToHttpResult(http, TypedResults.NoContent))
            .WithName("RemoveCartLine");

        api.MapPost("/checkout", async (CheckoutRequest body, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, IRequestSender sender, HttpContext http, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(idempotencyKey))
                {
                    return Error.Validation(new Dictionary<string, string[]> { [IdempotencyKeyHeader] = ["The Idempotency-Key header is required."] }).ToProblem(http);
                }

                var command = new PlaceOrderCommand(
                    body.Items ?? [],
                    body.ShippingAddress ?? new ShippingAddressInput("", "", null, "", "", ""),
                    body.PaymentMethod ?? "",
                    body.PaymentDetails,
                    body.StoreCredit ?? 0m,
                    idempotencyKey);
                var result = await sender.Send(command, ct);
                if (!result.IsSuccess && result.Error.Kind == ErrorKind.RateLimited && result.Error.RetryAfter is { } retry)
                {
                    return (result.Error with { Message = UserMessages.RateLimitedWithSeconds(retry) }).ToProblem(http);
                }

                if (!result.IsSuccess)
                {
                    return result.Error.ToProblem(http);
                }

                var placed = result.Value;
                return placed.PaymentPending
                    ? TypedResults.Accepted($"/api/orders/{placed.Order.Id}", placed)
                    : TypedResults.Created($"/api/orders/{placed.Order.Id}", placed);
            })
            .WithName("Checkout")
            .WithSummary("Place an order (header Idempotency-Key required): 201 paid, 202 payment pending, 409/422/429 problems.")
            .Produces<PlaceOrderResult>(StatusCodes.Status201Created)
            .Produces<PlaceOrderResult>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapGet("/orders", async (int? page, int? pageSize, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetMyOrdersQuery(page ?? 1, pageSize ?? 20), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetMyOrders")
            .Produces<PagedResult<OrderSummaryDto>>();

        api.MapGet("/orders/{id:guid}", async (Guid id, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetMyOrderQuery(id), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetMyOrder")
            .Produces<OrderDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var staff = api.MapGroup("/staff/orders").RequireAuthorization(Roles.Warehouse);
        staff.MapGet("", async (string? status, int? page, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetOrdersForStaffQuery(status, page ?? 1), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetOrdersForStaff");

        api.MapPost("/orders/{id:guid}/ship", async (Guid id, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new MarkShippedCommand(id), ct)).ToHttpResult(http, TypedResults.NoContent))
            .RequireAuthorization(Roles.Warehouse)
            .WithName("MarkShipped")
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/orders/{id:guid}/deliver", async (Guid id, IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new MarkDeliveredCommand(id), ct)).ToHttpResult(http, TypedResults.NoContent))
            .RequireAuthorization(Roles.Warehouse)
            .WithName("MarkDelivered")
            .ProducesProblem(StatusCodes.Status409Conflict);

        return endpoints;
    }
}
