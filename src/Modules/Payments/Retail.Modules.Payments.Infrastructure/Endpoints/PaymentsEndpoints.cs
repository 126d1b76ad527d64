using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Infrastructure.Web;
using Retail.Modules.Payments.Application.StoreCredit.GetMyStoreCredit;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.Infrastructure.Endpoints;

public static class PaymentsEndpoints
{
    /// <summary>Signed-in reads under <c>/api/payments</c>: the methods checkout offers, and the caller's own store credit.</summary>
    public static IEndpointRouteBuilder MapPaymentsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/payments").WithTags("Payments").RequireAuthorization();

        api.MapGet("/methods", async (IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetPaymentMethods(), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetPaymentMethods")
            .WithSummary("The payment methods checkout offers, with the detail fields each needs.")
            .Produces<IReadOnlyList<PaymentMethodDto>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/store-credit", async (IRequestSender sender, HttpContext http, CancellationToken ct) =>
                (await sender.Send(new GetMyStoreCreditQuery(), ct)).ToHttpResult(http, TypedResults.Ok))
            .WithName("GetMyStoreCredit")
            .WithSummary("The signed-in customer's store-credit balance and latest ledger lines.")
            .Produces<MyStoreCreditDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return endpoints;
    }
}
