using Microsoft.AspNetCore.Mvc;
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

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostShipAsync(Guid id, CancellationToken cancellationToken) =>
        MoveAsync(new MarkShippedCommand(id), "shipped", cancellationToken);

    public Task<IActionResult> OnPostDeliverAsync(Guid id, CancellationToken cancellationToken) =>
        MoveAsync(new MarkDeliveredCommand(id), "delivered", cancellationToken);

    private async Task<IActionResult> MoveAsync(ICommand command, string done, CancellationToken cancellationToken)
    {
        var result = await sender.Send(command, cancellationToken);
        if (result.IsSuccess)
        {
            StatusMessage = $"Order marked {done}.";
            return Redirect(PageLink(Math.Max(1, PageNumber)));
        }

        ShowError(result.Error);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(new GetOrdersForStaffQuery(Status, Math.Max(1, PageNumber)), cancellationToken);
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
