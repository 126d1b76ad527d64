using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Ordering.Application.Orders;
using Retail.Modules.Ordering.Application.Orders.GetOrdersForStaff;
using Retail.Modules.Ordering.Application.Orders.MarkShipped;

namespace Retail.Host.Pages.Staff.Orders;

/// <summary>The warehouse queue: orders by status, marked shipped or delivered (illegal moves show the error).</summary>
public sealed class IndexModel(IRequestSender sender) : RetailPageModel
{
    public static readonly IReadOnlyList<string> Statuses = ["Paid", "Shipped", "Delivered", "PaymentPending", "Pending", "Cancelled"];

    [BindProperty(SupportsGet = true)]
    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    // Query string only: Razor Pages route values include "page" (the page path), which would otherwise bind first.
    [BindProperty(Name = "page", SupportsGet = true)]
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public PagedResult<OrderSummaryDto>? Orders { get; private set; }

    public string CurrentStatus => string.IsNullOrEmpty(Status) ? "Paid" : Status;

    public string PageLink(int page) => $"/staff/orders?status={Uri.EscapeDataString(CurrentStatus)}&page={page}";

    /// <summary>
    /// Where a move form posts: the handler plus the list's filter and page, so the redirect after the move lands on the
    /// page the order was shown on. A form cannot say <c>asp-route-page</c> ("page" is the Razor Pages route value naming
    /// the page), and without the page every ship or deliver sent staff back to page 1.
    /// </summary>
    public string MoveLink(string handler) => $"/staff/orders?handler={handler}&status={Uri.EscapeDataString(CurrentStatus)}&page={Orders?.Page ?? 1}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // A page number that did not bind (page=abc, one past int.MaxValue) left PageNumber at 1: staff got page one
            // as if they had asked for it. Say which value was refused instead.
            ShowError(BindingError());
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostShipAsync(Guid id, CancellationToken cancellationToken) =>
        MoveAsync(new MarkShippedCommand(id), "shipped", cancellationToken);

    public Task<IActionResult> OnPostDeliverAsync(Guid id, CancellationToken cancellationToken) =>
        MoveAsync(new MarkDeliveredCommand(id), "delivered", cancellationToken);

    private async Task<IActionResult> MoveAsync(ICommand command, string done, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // An order id or page number that did not bind (id=abc, page=abc): answered like every other page's binding
            // error, and nothing is moved.
            ShowError(BindingError());
            await LoadAsync(cancellationToken);
            return Page();
        }

        var result = await sender.Send(command, cancellationToken);
        if (result.IsSuccess)
        {
            StatusMessage = $"Order marked {done}.";

            // Back to the list (Post/Redirect/Get). The order has moved, so the landing page must be one the list shows: a
            // hand-made post with page=0 or a page past the cap would otherwise answer the done move with a 400.
            return Redirect(PageLink(await LandingPageAsync(PageNumber is >= 1 and <= Paging.MaxPage ? PageNumber : 1, cancellationToken)));
        }

        ShowError(result.Error);
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>
    /// The page the order was on, unless the move emptied it (the last order of the last page): that page would say there
    /// are no orders in this status at all, with no pager back, so the list's new last page is shown instead.
    /// </summary>
    private async Task<int> LandingPageAsync(int page, CancellationToken cancellationToken)
    {
        if (page == 1)
        {
            return page;
        }

        var list = await sender.Send(new GetOrdersForStaffQuery(Status, page), cancellationToken);
        return list.IsSuccess && list.Value.Items.Count == 0 ? Math.Max(1, list.Value.TotalPages) : page;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (ModelState.TryGetValue("page", out var page) && page.ValidationState == ModelValidationState.Invalid)
        {
            // The page number did not bind: there is no page to show, and the binding error is already the page's message.
            return;
        }

        // No clamping: page 0 was shown as page 1. The query's validator answers it like a page past the cap, and its error
        // is shown unless a refused move already has one to show.
        var result = await sender.Send(new GetOrdersForStaffQuery(Status, PageNumber), cancellationToken);
        if (result.IsSuccess)
        {
            Orders = result.Value;
        }
        else if (ErrorMessage is null)
        {
            ShowError(result.Error);
        }
    }
}
