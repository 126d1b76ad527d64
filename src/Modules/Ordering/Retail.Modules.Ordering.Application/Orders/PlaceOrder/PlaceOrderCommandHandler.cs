using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Application.Orders.Payments;
using Retail.Modules.Ordering.Domain.Orders;

namespace Retail.Modules.Ordering.Application.Orders.PlaceOrder;

/// <summary>
/// The checkout: (2) rate limit per user, (3) idempotency per user + key, (4) prices from Catalog, (5) stock reserved
/// all-or-nothing in Catalog, (6) the order row and its OrderPlaced outbox row in one short Ordering transaction,
/// (7) payment through Payments outside any transaction, (8) the idempotency record completed. Validation (1) ran in the
/// pipeline before this. A decline cancels the order and releases its stock; an unavailable provider leaves the order
/// PaymentPending (stock held) for the <c>ordering-payment-retry</c> job.
/// </summary>
public sealed class PlaceOrderCommandHandler(
    IOrderingDbContext db,
    IOrderingUnitOfWork unitOfWork,
    IRequestSender sender,
    ICurrentUser user,
    ICheckoutRateLimiter rateLimiter,
    ICheckoutIdempotency idempotency,
    IPaymentDetailsProtector protector,
    OrderPaymentProcessor payments,
    IOptions<OrderingOptions> options,
    TimeProvider time,
    ILogger<PlaceOrderCommandHandler> logger) : ICommandHandler<PlaceOrderCommand, PlaceOrderResult>
{
    public const int StatusPaid = 201;
    public const int StatusPending = 202;
    public const int StatusDeclined = 422;

    public static Error KeyReused() => Error.Unprocessable("idempotency.key_reused", "This idempotency key was already used for a different order.");

    public static Error KeyInProgress() => Error.Conflict("idempotency.in_progress", "This order is still being processed. Please wait a moment.");

    public static Error Declined() => Error.Unprocessable("payment.declined", UserMessages.PaymentFailed);

    public static Error ProductUnavailable(string sku) =>
        Error.Unprocessable("ordering.product_unavailable", UserMessages.OutOfStock) with { FieldErrors = new Dictionary<string, string[]> { [sku] = [UserMessages.OutOfStock] } };

    public static Error StoreCreditTooHigh() => Error.Unprocessable("ordering.store_credit_exceeds_total", "Store credit used cannot be more than the order total.");

    public async ValueTask<Result<PlaceOrderResult>> Handle(PlaceOrderCommand command, CancellationToken cancellationToken)
    {
        var userId = user.UserId ?? throw new InvalidOperationException("PlaceOrder needs a signed-in user.");

        var decision = await rateLimiter.TryAcquireAsync(userId, cancellationToken);
        if (!decision.Allowed)
        {
            return new Error("rate_limited", UserMessages.RateLimited, ErrorKind.RateLimited) { RetryAfter = decision.RetryAfter };
        }

        var key = command.IdempotencyKey.Trim();
        var begun = await idempotency.BeginAsync(userId, key, RequestHash(command), cancellationToken);
        switch (begun.Outcome)
        {
            case CheckoutIdempotencyOutcome.Mismatch:
                return KeyReused();
            case CheckoutIdempotencyOutcome.InProgress:
                return KeyInProgress();
            case CheckoutIdempotencyOutcome.Replay:
                return await ReplayAsync(begun, cancellationToken);
        }

        Order order;
        try
        {
            var created = await CreateAndReserveAsync(command, userId, key, cancellationToken);
            if (!created.IsSuccess)
            {
                await idempotency.AbandonAsync(userId, key, cancellationToken);
                return created.Error;
            }

            order = created.Value;
        }
        catch
        {
            await idempotency.AbandonAsync(userId, key, CancellationToken.None);
            throw;
        }

        var progress = await payments.ProcessAsync(order.Id, cancellationToken);
        var result = await ResultOfAsync(order.Id, progress == OrderPaymentProgress.Declined, cancellationToken);
        var status = !result.IsSuccess ? StatusDeclined : result.Value.PaymentPending ? StatusPending : StatusPaid;
        await idempotency.CompleteAsync(userId, key, status, order.Id.ToString(), CancellationToken.None);
        if (command.ClearCart && progress != OrderPaymentProgress.Declined)
        {
            await ClearCartAsync(userId, command.Items, cancellationToken);
        }

        logger.LogInformation("Checkout {OrderNumber} ({OrderId}) for {UserId}: {Progress}", order.Number, order.Id, userId, progress);
        return result;
    }

    private async Task<Result<Order>> CreateAndReserveAsync(PlaceOrderCommand command, string userId, string key, CancellationToken cancellationToken)
    {
        var items = command.Items.Select(i => (Sku: i.Sku.Trim().ToUpperInvariant(), i.Quantity)).ToList();
        var products = await sender.Send(new GetProductsForCheckout([.. items.Select(i => i.Sku)]), cancellationToken);
        if (!products.IsSuccess)
        {
            return products.Error;
        }

        var bySku = products.Value.ToDictionary(p => p.Sku, StringComparer.Ordinal);
        var lines = new List<OrderLine>();
        foreach (var (sku, quantity) in items)
        {
            if (!bySku.TryGetValue(sku, out var product) || !product.IsActive)
            {
                return ProductUnavailable(sku);
            }

            lines.Add(OrderLine.Create(sku, product.Name, product.Price, quantity));
        }

        var storeCredit = decimal.Round(command.StoreCredit, 2);
        if (storeCredit > lines.Sum(l => l.LineTotal))
        {
            return StoreCreditTooHigh();
        }

        var now = time.GetUtcNow();
        var id = Guid.NewGuid();
        var a = command.ShippingAddress;
        var order = Order.Create(
            id,
            NumberFor(id, now),
            userId,
            lines,
            new ShippingAddress(a.Name.Trim(), a.Line1.Trim(), string.IsNullOrWhiteSpace(a.Line2) ? null : a.Line2.Trim(), a.City.Trim(), a.PostalCode.Trim(), a.Country.Trim()),
            command.PaymentMethod.Trim().ToLowerInvariant(),
            $"order-{id:N}",
            storeCredit,
            options.Value.Currency,
            now,
            CustomerEmail());

        var reserved = await sender.Send(new ReserveStock(id, [.. lines.Select(l => new StockLine(l.Sku, l.Quantity))]), cancellationToken);
        if (!reserved.IsSuccess)
        {
            return reserved.Error;
        }

        try
        {
            var details = order.AmountDueByMethod > 0 ? protector.Protect(command.PaymentDetails) : null;
            order.AwaitPayment(now + options.Value.PaymentDeadline, details, now);
            await unitOfWork.ExecuteAsync(
                () =>
                {
                    db.Orders.Add(order);
                    return Task.FromResult(true);
                },
                _ => true,
                cancellationToken);
        }
        catch
        {
            await sender.Send(new ReleaseStock(id, "order could not be stored"), CancellationToken.None);
            throw;
        }

        logger.LogInformation("Order {OrderNumber} ({OrderId}) accepted for {UserId}, key {Key}: stock held, payment pending", order.Number, id, userId, key);
        return order;
    }

    private async Task<Result<PlaceOrderResult>> ReplayAsync(CheckoutIdempotencyDecision replay, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(replay.ResponseBody, out var orderId))
        {
            return KeyReused();
        }

        return await ResultOfAsync(orderId, replay.ResponseStatus == StatusDeclined, cancellationToken);
    }

    private async Task<Result<PlaceOrderResult>> ResultOfAsync(Guid orderId, bool declined, CancellationToken cancellationToken)
    {
        if (declined)
        {
            return Declined();
        }

        db.ChangeTracker.Clear();
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.Id == orderId, cancellationToken);
        if (order.Status == OrderStatus.Cancelled)
        {
            return Declined();
        }

        var pending = order.Status == OrderStatus.PaymentPending;
        return new PlaceOrderResult(OrderDto.From(order), pending, pending ? UserMessages.Overloaded : "Thank you! Your order is confirmed.");
    }

    private async Task ClearCartAsync(string userId, IReadOnlyList<OrderItemInput> items, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await unitOfWork.ExecuteAsync(
            async () =>
            {
                db.ChangeTracker.Clear();
                var cart = await db.Carts.Include(c => c.Lines).SingleOrDefaultAsync(c => c.CustomerId == userId, cancellationToken);
                foreach (var item in items)
                {
                    cart?.Remove(item.Sku, now);
                }

                return true;
            },
            _ => true,
            cancellationToken);
    }

    /// <summary>The signed-in user's name is their email in this app; anything that is not an address is not kept.</summary>
    private string? CustomerEmail()
    {
        var name = user.UserName?.Trim();
        return name is { Length: > 2 and <= 256 } && name.Contains('@', StringComparison.Ordinal) ? name : null;
    }

    private static string NumberFor(Guid id, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"R{now:yyMMdd}-{id.ToString("N")[..8].ToUpperInvariant()}");

    /// <summary>SHA-256 over the normalized request, so the same order typed differently (case, order of items) matches.</summary>
    internal static string RequestHash(PlaceOrderCommand command)
    {
        var a = command.ShippingAddress;
        var normalized = new
        {
            items = command.Items.Select(i => new { sku = i.Sku.Trim().ToUpperInvariant(), qty = i.Quantity }).OrderBy(i => i.sku, StringComparer.Ordinal).ToArray(),
            address = new[] { a.Name, a.Line1, a.Line2 ?? "", a.City, a.PostalCode, a.Country }.Select(s => (s ?? "").Trim()).ToArray(),
            method = command.PaymentMethod.Trim().ToLowerInvariant(),
            details = (command.PaymentDetails ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value.Trim()).ToArray(),
            credit = decimal.Round(command.StoreCredit, 2).ToString(CultureInfo.InvariantCulture),
        };
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(normalized))));
    }
}
