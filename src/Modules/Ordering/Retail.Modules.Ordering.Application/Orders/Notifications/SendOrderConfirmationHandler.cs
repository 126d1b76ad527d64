using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.IntegrationEvents;

namespace Retail.Modules.Ordering.Application.Orders.Notifications;

/// <summary>
/// Emails the customer when an order is paid (number, lines, total, link to <c>/orders/{id}</c>) and when it is cancelled.
/// Runs in Ordering's inbox transaction, so each event sends at most once per successful delivery; a failed send throws
/// and the outbox retries. The address is the one stored on the order at checkout; orders without one are skipped.
/// </summary>
public sealed class SendOrderConfirmationHandler(IOrderingDbContext db, IEmailSender email, ILogger<SendOrderConfirmationHandler> logger) :
    IIntegrationEventHandler<OrderPaid>,
    IIntegrationEventHandler<OrderCancelled>
{
    public static string OrderPath(Guid orderId) => $"/orders/{orderId}";

    public async Task Handle(OrderPaid integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var to = await EmailOfAsync(integrationEvent.OrderId, integrationEvent.OrderNumber, cancellationToken);
        if (to is null)
        {
            return;
        }

        await email.SendAsync(Confirmation(to, integrationEvent), cancellationToken);
    }

    public async Task Handle(OrderCancelled integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var to = await EmailOfAsync(integrationEvent.OrderId, integrationEvent.OrderNumber, cancellationToken);
        if (to is null)
        {
            return;
        }

        await email.SendAsync(Cancellation(to, integrationEvent), cancellationToken);
    }

    internal static EmailMessage Confirmation(string to, OrderPaid paid)
    {
        var path = OrderPath(paid.OrderId);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Thank you! Your order {paid.OrderNumber} is confirmed and paid.\n\n");
        var html = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<p>Thank you! Your order <strong>{H(paid.OrderNumber)}</strong> is confirmed and paid.</p>\n")
            .Append("<table>\n<tr><th align=\"left\">Item</th><th align=\"right\">Qty</th><th align=\"right\">Price</th><th align=\"right\">Total</th></tr>\n");
        foreach (var line in paid.Lines)
        {
            var lineTotal = line.UnitPrice * line.Quantity;
            text.Append(CultureInfo.InvariantCulture, $"{line.Quantity} x {line.Name} ({line.Sku}) @ {Money(line.UnitPrice, paid.Currency)} = {Money(lineTotal, paid.Currency)}\n");
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{H(line.Name)} ({H(line.Sku)})</td><td align=\"right\">{line.Quantity}</td><td align=\"right\">{H(Money(line.UnitPrice, paid.Currency))}</td><td align=\"right\">{H(Money(lineTotal, paid.Currency))}</td></tr>\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"\nTotal: {Money(paid.Total, paid.Currency)}\n\nSee your order: {path}\n");
        html.Append(CultureInfo.InvariantCulture, $"</table>\n<p><strong>Total: {H(Money(paid.Total, paid.Currency))}</strong></p>\n")
            .Append(CultureInfo.InvariantCulture, $"<p><a href=\"{H(path)}\">See your order</a></p>\n");
        return new EmailMessage(to, $"Order {paid.OrderNumber} confirmed", text.ToString(), html.ToString());
    }

    internal static EmailMessage Cancellation(string to, OrderCancelled cancelled)
    {
        var path = OrderPath(cancelled.OrderId);
        var text = $"Your order {cancelled.OrderNumber} was cancelled: {cancelled.Reason}\nNothing was charged for it, and any store credit used was returned.\n\nSee your order: {path}\n";
        var html = $"<p>Your order <strong>{H(cancelled.OrderNumber)}</strong> was cancelled: {H(cancelled.Reason)}</p>\n" +
            "<p>Nothing was charged for it, and any store credit used was returned.</p>\n" +
            $"<p><a href=\"{H(path)}\">See your order</a></p>\n";
        return new EmailMessage(to, $"Order {cancelled.OrderNumber} cancelled", text, html);
    }

    private async Task<string?> EmailOfAsync(Guid orderId, string orderNumber, CancellationToken cancellationToken)
    {
        var to = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => o.CustomerEmail).SingleOrDefaultAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(to))
        {
            logger.LogWarning("Order {OrderNumber} ({OrderId}) has no customer email; no mail sent", orderNumber, orderId);
            return null;
        }

        return to;
    }

    private static string Money(decimal amount, string currency) => string.Create(CultureInfo.InvariantCulture, $"{amount:0.00} {currency}");

    private static string H(string value) => WebUtility.HtmlEncode(value);
}
