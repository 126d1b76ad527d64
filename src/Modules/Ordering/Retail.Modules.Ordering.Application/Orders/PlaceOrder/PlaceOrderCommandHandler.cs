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
using Retail.Modules.FlashSales.IntegrationEvents;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Application.Orders.Payments;
using Retail.Modules.Ordering.Domain.Orders;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Ordering.Application.Orders.PlaceOrder;

/// <summary>
/// The checkout: (2) rate limit per user; the customer's turn (one checkout at a time per customer on this instance);
/// flash lines the database would certainly refuse answered at once with no write (FlashSales' precheck): sold out before
/// and over the cap after the limit per user + SKU for SKUs in a live flash sale (the order the slow path answers in),
/// (3) the checkout gate (bulkhead: a storm queues
/// briefly or gets 503 instead of piling onto the database; once admitted the precheck is asked again, as the item may
/// have sold out meanwhile), (4) idempotency per user + key,
/// (5) prices from Catalog, (6) flash units claimed in FlashSales (allocation and per-customer cap in one transaction;
/// the flash price is locked here), (7) stock reserved all-or-nothing in Catalog, (8) the order row and its OrderPlaced
/// outbox row (with the first payment attempt counted) in one short Ordering transaction, (9) payment through Payments
/// outside any transaction, (10) the idempotency record completed — for a paid order in the transaction that marks it paid. Validation (1) ran in the pipeline before this. A failure after (6) gives the flash
/// units back; a decline cancels the order, which releases its stock and flash units; an unavailable provider leaves the
/// order PaymentPending (stock held) for the <c>ordering-payment-retry</c> job. A process that dies between (6) and (8)
/// leaves its attempt in progress: <see cref="InterruptedCheckoutRecovery"/> releases what it held.
/// </summary>
public sealed partial class PlaceOrderCommandHandler(
    IOrderingDbContext db,
    IOrderingUnitOfWork unitOfWork,
    IRequestSender sender,
    ICurrentUser user,
    ICheckoutRateLimiter rateLimiter,
    ICheckoutGate gate,
    ICheckoutTurns turns,
    ICheckoutIdempotency idempotency,
    IPaymentDetailsProtector protector,
    OrderPaymentProcessor payments,
    IOptions<OrderingOptions> options,
    TimeProvider time,
    CheckoutMetrics metrics,
    ILogger<PlaceOrderCommandHandler> logger) : ICommandHandler<PlaceOrderCommand, PlaceOrderResult>
{
    public const int StatusPaid = 201;
    public const int StatusPending = 202;
    public const int StatusDeclined = 422;

    /// <summary>
    /// The mark of an attempt (still in progress) whose process died before it stored its order, while
    /// <see cref="InterruptedCheckoutRecovery"/> releases what it held; a repeat of its key is answered "in progress".
    /// </summary>
    public const int StatusInterrupted = -1;

    public static Error KeyReused() => Error.Unprocessable("idempotency.key_reused", "This idempotency key was already used for a different order.");

    public static Error KeyInProgress() => Error.Conflict("idempotency.in_progress", "This order is still being processed. Please wait a moment.");

    public static Error Declined() => Error.Unprocessable("payment.declined", UserMessages.PaymentFailed);

    /// <param name="name">The product's name, so the refusal says which item it is; the SKU when the catalog has none.</param>
    public static Error ProductUnavailable(string sku, string? name = null) =>
        Error.Unprocessable("ordering.product_unavailable", UserMessages.OutOfStock) with
        {
            FieldErrors = new Dictionary<string, string[]> { [sku] = [$"{name ?? sku}: {UserMessages.OutOfStock}"] },
        };

    public static Error Overloaded() => new("ordering.overloaded", UserMessages.Overloaded, ErrorKind.Unavailable) { RetryAfter = TimeSpan.FromSeconds(1) };

    /// <summary>
    /// Prices went up since the customer saw them: nothing was ordered. The message names no cause: a flash sale that ended
    /// and an admin raising the regular price look the same here, and "its flash sale has ended" was untrue for the second.
    /// </summary>
    public static Error PriceChanged(IReadOnlyList<(string Sku, string Name, decimal Expected, decimal Actual)> changes) =>
        Error.Conflict(
            "ordering.price_changed",
            "Prices changed since you started checking out: " + string.Join("; ", changes.Select(c =>
                string.Create(CultureInfo.InvariantCulture, $"{c.Name} is now {c.Actual:0.00} (was {c.Expected:0.00})")))
            + ". Nothing was charged. Please review your order and place it again.")
        with { FieldErrors = changes.ToDictionary(c => c.Sku, c => new[] { string.Create(CultureInfo.InvariantCulture, $"{c.Name}: now {c.Actual:0.00}") }) };

    /// <summary>
    /// A checkout from the cart sends the lines the page showed; one the customer has since taken out of the cart (or whose
    /// quantity they changed there, in another tab) is not ordered as shown: nothing is ordered, and the message names the
    /// product, as the page has no line left to show it on.
    /// </summary>
    public static Error CartChanged(IReadOnlyList<(string Sku, string Change)> changes) =>
        Error.Conflict(
            "ordering.cart_changed",
            "Your cart changed since you started checking out: " + string.Join("; ", changes.Select(c => c.Change))
            + ". Nothing was ordered or charged. Please review your order and place it again.")
        with { FieldErrors = changes.ToDictionary(c => c.Sku, c => new[] { c.Change + "." }) };

    public static Error StoreCreditTooHigh() => Error.Unprocessable("ordering.store_credit_exceeds_total", "Store credit used cannot be more than the order total.");

    /// <summary>
    /// More store credit than the customer has: answered before anything is stored, beside the store-credit field. Left to
    /// the debit, it was an order placed, declined, cancelled and mailed about, with "Payment could not be processed"
    /// pointing at a card that was fine.
    /// </summary>
    public static Error StoreCreditExceedsBalance(decimal balance)
    {
        var message = string.Create(CultureInfo.InvariantCulture, $"Your store credit balance is {balance:0.00}; you cannot use more than that.");
        return Error.Unprocessable("ordering.store_credit_exceeds_balance", message) with
        {
            FieldErrors = new Dictionary<string, string[]> { [nameof(PlaceOrderCommand.StoreCredit)] = [message] },
        };
    }

    public async ValueTask<Result<PlaceOrderResult>> Handle(PlaceOrderCommand command, CancellationToken cancellationToken)
    {
        var result = await PlaceAsync(command, cancellationToken);
        metrics.Record(result);
        return result;
    }

    private async Task<Result<PlaceOrderResult>> PlaceAsync(PlaceOrderCommand command, CancellationToken cancellationToken)
    {
        var userId = user.UserId ?? throw new InvalidOperationException("PlaceOrder needs a signed-in user.");

        var decision = await rateLimiter.TryAcquireAsync(userId, cancellationToken);
        if (!decision.Allowed)
        {
            return new Error("rate_limited", UserMessages.RateLimited, ErrorKind.RateLimited) { RetryAfter = decision.RetryAfter };
        }

        // The customer's earlier attempts finish first, so this one starts knowing how they ended (cap reached, sold out).
        using var turn = await turns.TakeAsync(userId, cancellationToken);
        var key = command.IdempotencyKey.Trim();
        var flashLines = command.Items.Select(i => new FlashLine(i.Sku.Trim().ToUpperInvariant(), i.Quantity)).ToList();
        if (await RefusedEarlyAsync(userId, key, flashLines, soldOutOnly: true, cancellationToken) is { } soldOut)
        {
            return soldOut;
        }

        var skus = flashLines.Select(l => l.Sku).ToList();
        var flashRate = await sender.Send(new CheckFlashCheckoutRate(userId, skus), cancellationToken);
        if (!flashRate.IsSuccess)
        {
            return flashRate.Error;
        }

        if (await RefusedEarlyAsync(userId, key, flashLines, soldOutOnly: false, cancellationToken) is { } soldOutOrOverCap)
        {
            return soldOutOrOverCap;
        }

        using var admitted = await gate.TryEnterAsync(cancellationToken);
        if (admitted is null)
        {
            logger.LogWarning("Checkout for {UserId} refused by the checkout gate (queue full or wait too long)", userId);
            return Overloaded();
        }

        // Asked again once admitted: the item may have sold out (or the customer reached the cap) while this one waited.
        if (await RefusedEarlyAsync(userId, key, flashLines, soldOutOnly: false, cancellationToken) is { } refusedWhileQueued)
        {
            return refusedWhileQueued;
        }

        var orderId = Guid.NewGuid();
        var begun = await idempotency.BeginAsync(userId, key, RequestHash(command), orderId, cancellationToken);
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
            var created = await CreateAndReserveAsync(command, userId, key, orderId, cancellationToken);
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

        // The payment attempt was counted when the order was stored; a paid order completes its idempotency record in
        // the very transaction that marks it paid (one commit fewer on the usual path).
        var progress = await payments.ProcessAsync(
            order.Id,
            attemptRecorded: true,
            whenPaid: ct => idempotency.CompleteAsync(userId, key, StatusPaid, order.Id.ToString(), ct),
            cancellationToken);
        var result = await ResultOfAsync(order.Id, progress == OrderPaymentProgress.Declined, cancellationToken);
        var status = !result.IsSuccess ? StatusDeclined : result.Value.PaymentPending ? StatusPending : StatusPaid;
        if (progress != OrderPaymentProgress.Paid)
        {
            await idempotency.CompleteAsync(userId, key, status, order.Id.ToString(), CancellationToken.None);
        }

        if (command.ClearCart && progress != OrderPaymentProgress.Declined)
        {
            await ClearCartAsync(userId, command.Items, cancellationToken);
        }

        logger.LogInformation("Checkout {OrderNumber} ({OrderId}) for {UserId}: {Progress}", order.Number, order.Id, userId, progress);
        return result;
    }

    /// <summary>
    /// Sold out or over the cap, answered without a write (FlashSales' precheck: memo hints confirmed by one read). A key
    /// already seen goes the normal way, so a retried checkout still gets its stored answer.
    /// </summary>
    private async Task<Error?> RefusedEarlyAsync(string userId, string key, IReadOnlyList<FlashLine> lines, bool soldOutOnly, CancellationToken cancellationToken)
    {
        var precheck = await sender.Send(new PrecheckFlashClaim(userId, lines, soldOutOnly), cancellationToken);
        if (precheck.IsSuccess || await idempotency.IsKnownAsync(userId, key, cancellationToken))
        {
            return null;
        }

        logger.LogDebug("Checkout for {UserId} refused before the claim: {Code}", userId, precheck.Error.Code);
        return precheck.Error;
    }

    private async Task<Result<Order>> CreateAndReserveAsync(PlaceOrderCommand command, string userId, string key, Guid id, CancellationToken cancellationToken)
    {
        var items = command.Items.Select(i => (Sku: i.Sku.Trim().ToUpperInvariant(), i.Quantity)).ToList();
        var products = await sender.Send(new GetProductsForCheckout([.. items.Select(i => i.Sku)]), cancellationToken);
        if (!products.IsSuccess)
        {
            return products.Error;
        }

        var bySku = products.Value.ToDictionary(p => p.Sku, StringComparer.Ordinal);
        if (command.ClearCart && await CartChangedAsync(userId, items, bySku, cancellationToken) is { } changed)
        {
            return changed;
        }

        foreach (var (sku, _) in items)
        {
            if (!bySku.TryGetValue(sku, out var product) || !product.IsActive)
            {
                return ProductUnavailable(sku, product?.Name);
            }
        }

        var claimed = await sender.Send(new ClaimFlashAllocation(id, userId, [.. items.Select(i => new FlashClaimLine(i.Sku, i.Quantity, bySku[i.Sku].Price))]), cancellationToken);
        if (!claimed.IsSuccess)
        {
            return claimed.Error;
        }

        var flashPrice = claimed.Value.ToDictionary(c => c.Sku, c => c.UnitPrice, StringComparer.Ordinal);
        var lines = items.Select(i => OrderLine.Create(i.Sku, bySku[i.Sku].Name, flashPrice.GetValueOrDefault(i.Sku, bySku[i.Sku].Price), i.Quantity)).ToList();
        Error? refusal;
        try
        {
            refusal = PriceRaised(command.ExpectedPrices, lines)
                ?? (decimal.Round(command.StoreCredit, 2) > lines.Sum(l => l.LineTotal) ? StoreCreditTooHigh() : null)
                ?? await StoreCreditRefusalAsync(userId, command, lines, cancellationToken)
                ?? await PaymentDetailsRefusalAsync(command, lines, cancellationToken);
        }
        catch
        {
            // The balance is a read of its own: failing here must not keep the flash units just claimed.
            await ReleaseFlashAsync(id, claimed.Value, "checkout failed before the order was stored");
            throw;
        }

        if (refusal is not null)
        {
            await ReleaseFlashAsync(id, claimed.Value, "checkout refused before the order was stored");
            return refusal;
        }

        var storeCredit = decimal.Round(command.StoreCredit, 2);
        var now = time.GetUtcNow();
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
            await ReleaseFlashAsync(id, claimed.Value, "stock could not be reserved");
            return Named(reserved.Error, bySku);
        }

        try
        {
            var details = order.AmountDueByMethod > 0 ? protector.Protect(command.PaymentDetails) : null;
            order.AwaitPayment(now + options.Value.PaymentDeadline, details, now);
            order.RecordPaymentAttempt();
            // The attempt's record is asked first, in the same transaction: a recovery that took the attempt over as
            // interrupted (it ran longer than Ordering:InterruptedCheckoutAfter) is releasing its units, so no order.
            var stored = await unitOfWork.ExecuteAsync(
                async () =>
                {
                    if (!await idempotency.StillInProgressAsync(userId, key, cancellationToken))
                    {
                        return false;
                    }

                    db.Orders.Add(order);
                    return true;
                },
                stored => stored,
                cancellationToken);
            if (!stored)
            {
                logger.LogWarning("Checkout {OrderId} for {UserId} was taken over as interrupted before its order was stored", id, userId);
                await sender.Send(new ReleaseStock(id, "checkout taken over as interrupted"), CancellationToken.None);
                await ReleaseFlashAsync(id, claimed.Value, "checkout taken over as interrupted");
                return Overloaded();
            }
        }
        catch
        {
            await sender.Send(new ReleaseStock(id, "order could not be stored"), CancellationToken.None);
            await ReleaseFlashAsync(id, claimed.Value, "order could not be stored");
            throw;
        }

        logger.LogInformation("Order {OrderNumber} ({OrderId}) accepted for {UserId}, key {Key}: stock held, payment pending", order.Number, id, userId, key);
        return order;
    }

    /// <summary>
    /// Catalog keys its refusal (too few in stock) by SKU alone; the products of this order were read above, so each
    /// message is prefixed with its product's name here, at no extra read, and the caller can tell which item it was.
    /// </summary>
    private static Error Named(Error error, IReadOnlyDictionary<string, CheckoutProductDto> bySku) =>
        error.FieldErrors.Count == 0
            ? error
            : error with
            {
                FieldErrors = error.FieldErrors.ToDictionary(
                    f => f.Key,
                    f => bySku.TryGetValue(f.Key, out var product) ? f.Value.Select(m => $"{product.Name}: {m}").ToArray() : f.Value,
                    StringComparer.Ordinal),
            };

    /// <summary>The lines sent against the cart now: read here, after the key was taken, so a replayed double submit
    /// (whose first attempt emptied the cart) is still answered with its order.</summary>
    private async Task<Error?> CartChangedAsync(
        string userId, IReadOnlyList<(string Sku, int Quantity)> items, IReadOnlyDictionary<string, CheckoutProductDto> bySku, CancellationToken cancellationToken)
    {
        var inCart = await db.Carts.AsNoTracking().Where(c => c.CustomerId == userId).SelectMany(c => c.Lines)
            .Select(l => new { l.Sku, l.Quantity }).ToDictionaryAsync(l => l.Sku, l => l.Quantity, StringComparer.Ordinal, cancellationToken);
        var changes = items
            .Where(i => !inCart.TryGetValue(i.Sku, out var quantity) || quantity != i.Quantity)
            .Select(i =>
            {
                var name = bySku.TryGetValue(i.Sku, out var product) ? product.Name : i.Sku;
                return (i.Sku, inCart.TryGetValue(i.Sku, out var quantity)
                    ? string.Create(CultureInfo.InvariantCulture, $"{name} is now {quantity} in your cart, not {i.Quantity}")
                    : $"{name} is no longer in your cart");
            })
            .ToList();
        if (changes.Count == 0)
        {
            return null;
        }

        LogCartChanged(logger, userId, string.Join(", ", changes.Select(c => c.Sku)));
        return CartChanged(changes);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkout for {UserId} refused: the cart changed since the page was shown ({Skus})")]
    private static partial void LogCartChanged(ILogger logger, string userId, string skus);

    private async Task ReleaseFlashAsync(Guid orderId, IReadOnlyList<FlashClaimedLine> claimed, string reason)
    {
        if (claimed.Count > 0)
        {
            await sender.Send(new ReleaseFlashAllocation(orderId, reason), CancellationToken.None);
        }
    }

    /// <summary>
    /// Details the method can never charge (a mistyped card number, a past expiry) are the customer's to correct: a field
    /// error before anything is stored, not an order placed, declined and cancelled with its e-mail. Only when the method
    /// pays something: store credit covering the whole order needs no details.
    /// </summary>
    private async Task<Error?> PaymentDetailsRefusalAsync(PlaceOrderCommand command, IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken)
    {
        if (lines.Sum(l => l.LineTotal) - decimal.Round(command.StoreCredit, 2) <= 0)
        {
            return null;
        }

        var check = await sender.Send(new CheckPaymentDetails(command.PaymentMethod, command.PaymentDetails), cancellationToken);
        return check.IsSuccess && check.Value.Count > 0
            ? Error.Validation(check.Value.ToDictionary(e => $"{nameof(PlaceOrderCommand.PaymentDetails)}.{e.Key}", e => e.Value))
            : null;
    }

    /// <summary>
    /// The store credit this order would debit (its store-credit part, or the whole amount when store credit is also the
    /// method) against the balance now. Advisory: the debit stays the conditional update that decides, so credit spent
    /// meanwhile by another order is still a decline.
    /// </summary>
    private async Task<Error?> StoreCreditRefusalAsync(string userId, PlaceOrderCommand command, IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken)
    {
        var credit = decimal.Round(command.StoreCredit, 2);
        var needed = string.Equals(command.PaymentMethod.Trim(), OrderPaymentProcessor.StoreCreditMethod, StringComparison.OrdinalIgnoreCase)
            ? lines.Sum(l => l.LineTotal)
            : credit;
        if (needed <= 0)
        {
            return null;
        }

        var balance = await sender.Send(new GetStoreCreditBalance(userId), cancellationToken);
        return balance.IsSuccess && balance.Value.Balance < needed ? StoreCreditExceedsBalance(balance.Value.Balance) : null;
    }

    private static Error? PriceRaised(IReadOnlyDictionary<string, decimal>? expected, IReadOnlyList<OrderLine> lines)
    {
        if (expected is null || expected.Count == 0)
        {
            return null;
        }

        var normalized = expected.ToDictionary(e => e.Key.Trim().ToUpperInvariant(), e => e.Value, StringComparer.Ordinal);
        var raised = lines
            .Where(l => normalized.TryGetValue(l.Sku, out var shown) && l.UnitPrice > shown)
            .Select(l => (l.Sku, l.Name, normalized[l.Sku], l.UnitPrice))
            .ToList();
        return raised.Count > 0 ? PriceChanged(raised) : null;
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
