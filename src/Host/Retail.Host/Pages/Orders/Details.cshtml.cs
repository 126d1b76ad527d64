using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Ordering.Application.Orders;
using Retail.Modules.Ordering.Application.Orders.GetMyOrder;

namespace Retail.Host.Pages.Orders;

/// <summary>One of the customer's own orders; anyone else's id is the 404 page, like an unknown id.</summary>
public sealed class DetailsModel(IRequestSender sender) : RetailPageModel
{
    public OrderDto? Order { get; private set; }

    public bool PaymentPending => Order?.Status == "PaymentPending";

    /// <summary>The status times the order has, in order.</summary>
    public IEnumerable<(string Label, DateTimeOffset At)> Timeline()
    {
        if (Order is not { } o)
        {
            yield break;
        }

        yield return ("Placed", o.PlacedAt);
        if (o.PaidAt is { } paid)
        {
            yield return ("Paid", paid);
        }

        if (o.ShippedAt is { } shipped)
        {
            yield return ("Shipped", shipped);
        }

        if (o.DeliveredAt is { } delivered)
        {
            yield return ("Delivered", delivered);
        }

        if (o.CancelledAt is { } cancelled)
        {
            yield return ("Cancelled", cancelled);
        }
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new GetMyOrderQuery(id), cancellationToken);
        if (!result.IsSuccess)
        {
            if (result.Error.Kind == ErrorKind.NotFound)
            {
                return NotFound();
            }

            ShowError(result.Error);
            return Page();
        }

        Order = result.Value;
        return Page();
    }
}
