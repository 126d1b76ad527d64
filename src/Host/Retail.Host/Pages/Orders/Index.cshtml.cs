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
        if (!ModelState.IsValid)
        {
            // A page number that did not bind (page=abc, one past int.MaxValue) left PageNumber at 1: the customer got page
            // one as if they had asked for it. Say which value was refused instead.
            ShowError(BindingError());
            return Page();
        }

        // No clamping: page 0 was shown as page 1. The query's validator answers it like a page past the cap.
        var result = await sender.Send(new GetMyOrdersQuery(PageNumber), cancellationToken);
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
