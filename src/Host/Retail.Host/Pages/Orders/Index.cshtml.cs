using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Ordering.Application.Orders;
using Retail.Modules.Ordering.Application.Orders.GetMyOrders;

namespace Retail.Host.Pages.Orders;

/// <summary>The signed-in customer's orders, newest first.</summary>
public sealed class IndexModel(IRequestSender sender) : RetailPageModel
{
    // Query string only: Razor Pages route values include "page" (the page path), which would otherwise bind first.
    [BindProperty(Name = "page", SupportsGet = true)]
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public PagedResult<OrderSummaryDto>? Orders { get; private set; }

    public static string PageLink(int page) => $"/orders?page={page}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(new GetMyOrdersQuery(Math.Max(1, PageNumber)), cancellationToken);
        if (result.IsSuccess)
        {
            Orders = result.Value;
        }
        else
        {
            ShowError(result.Error);
        }

        return Page();
    }
}
