using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Ordering.Application.Orders;
using Retail.Modules.Ordering.Application.Orders.GetMyOrder;
using Retail.Modules.Ordering.Application.Orders.Payments;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Host.Pages.Orders;

/// <summary>One of the customer's own orders; anyone else's id is the 404 page, like an unknown id.</summary>
public sealed class DetailsModel(IRequestSender sender) : RetailPageModel
{
    public OrderDto? Order { get; private set; }

    public bool PaymentPending => Order?.Status == "PaymentPending";

    /// <summary>Display names of the registered payment methods by code (card → Card), so the page does not show a code.</summary>
    public IReadOnlyDictionary<string, string> MethodNames { get; private set; } = new Dictionary<string, string>();

    /// <summary>
    /// How the total is split: the store-credit part and what the chosen method pays, each with its amount, so the parts
    /// add up to the total. The page showed the credit as "−$5.00" between a subtotal and a total that were both $20.00,
    /// and never the $15.00 the card paid.
    /// </summary>
    public IEnumerable<(string Method, decimal Amount)> PaymentParts()
    {
        if (Order is not { } o)
        {
            yield break;
        }

        if (o.StoreCreditAmount > 0)
        {
            yield return (MethodNames.GetValueOrDefault(OrderPaymentProcessor.StoreCreditMethod, "Store credit"), o.StoreCreditAmount);
        }

        if (o.Total - o.StoreCreditAmount > 0)
        {
            yield return (MethodNames.GetValueOrDefault(o.PaymentMethod, o.PaymentMethod), o.Total - o.StoreCreditAmount);
        }
    }

    /// <summary>"Paid with" once the payment went through, "To be paid with" while it waits.</summary>
    public string PaymentLabel => Order?.Status is "Paid" or "Shipped" or "Delivered" ? "Paid with" : "To be paid with";

    /// <summary>
    /// A cancelled order charged nothing (a declined or late payment; the store-credit part is refunded by the
    /// cancellation): said in words, where the parts would read as money still to be taken.
    /// </summary>
    public string? CancelledPaymentNote => Order is { Status: "Cancelled" } o
        ? "Nothing was charged for this order." + (o.StoreCreditAmount > 0 ? $" The store credit it used ({OrderView.Money(o.StoreCreditAmount, o.Currency)}) is returned to your balance." : "")
        : null;

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
        var methods = await sender.Send(new GetPaymentMethods(), cancellationToken);
        if (methods.IsSuccess)
        {
            MethodNames = methods.Value.ToDictionary(m => m.Code, m => m.DisplayName, StringComparer.OrdinalIgnoreCase);
        }

        return Page();
    }
}
