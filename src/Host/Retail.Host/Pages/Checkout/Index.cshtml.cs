using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Ordering.Application.Carts;
using Retail.Modules.Ordering.Application.Carts.GetCart;
using Retail.Modules.Ordering.Application.Orders.PlaceOrder;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Host.Pages.Checkout;

/// <summary>
/// Address, payment method, store credit and the order summary from the cart (Catalog's current prices). The
/// idempotency key is generated when the page renders, so a double submit replays the same order instead of a second one.
/// </summary>
public sealed class IndexModel(IRequestSender sender, ICurrentUser currentUser) : RetailPageModel
{
    /// <summary>Paid for with its own amount field, not offered as a radio choice.</summary>
    public const string StoreCreditMethod = "store-credit";

    public sealed class AddressModel
    {
        public string Name { get; set; } = "";

        public string Line1 { get; set; } = "";

        public string? Line2 { get; set; }

        public string City { get; set; } = "";

        public string PostalCode { get; set; } = "";

        public string Country { get; set; } = "";
    }

    public sealed class ItemModel
    {
        public string Sku { get; set; } = "";

        public int Quantity { get; set; }
    }

    public sealed class InputModel
    {
        /// <summary>
        /// The cart as the page showed it (SKUs and quantities, never prices), so a double submit sends the same
        /// request even after the first one emptied the cart, and is answered with the same order.
        /// </summary>
        public List<ItemModel> Items { get; set; } = [];

        public AddressModel ShippingAddress { get; set; } = new();

        public string PaymentMethod { get; set; } = "card";

        /// <summary>Detail fields by name (e.g. cardNumber); only the chosen method's fields are sent.</summary>
        public Dictionary<string, string> Details { get; set; } = [];

        /// <summary>Empty means none: a customer who clears the "0" sends an empty value, which a decimal refused ("The value '' is invalid.").</summary>
        public decimal? StoreCredit { get; set; } = 0m;

        public string IdempotencyKey { get; set; } = "";

        /// <summary>Unit prices per SKU as the summary showed them (flash prices included); see PlaceOrderCommand.</summary>
        public Dictionary<string, decimal> ExpectedPrices { get; set; } = [];
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public CartDto? Cart { get; private set; }

    public IReadOnlyList<PaymentMethodDto> PaymentMethods { get; private set; } = [];

    public decimal StoreCreditBalance { get; private set; }

    /// <summary>The cart has lines but none can be ordered (no longer sold, too few in stock): the page offers no order form.</summary>
    public bool NothingOrderable => Cart is { Lines.Count: > 0 } cart && cart.Lines.All(l => !l.Available);

    public static string Money(decimal amount) => amount.ToString("C", CultureInfo.GetCultureInfo("en-US"));

    public string DetailValue(string field) => Input.Details.GetValueOrDefault(field) ?? "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Input.IdempotencyKey = Guid.NewGuid().ToString("N");
        await LoadAsync(cancellationToken);
        Input.Items = ItemsOf(Cart);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (!ModelState.IsValid)
        {
            // A hidden field that did not bind (a tampered form: Input.Items[0].Quantity=abc, Input.ExpectedPrices[SKU]=abc)
            // was a bare 400 page with no message. Say which value was refused, like every other page, and order nothing.
            ShowError(BindingError());
            return Page();
        }

        var method = PaymentMethods.FirstOrDefault(m => string.Equals(m.Code, Input.PaymentMethod?.Trim(), StringComparison.OrdinalIgnoreCase));
        var details = method?.DetailFields
            .Where(f => !string.IsNullOrWhiteSpace(Input.Details.GetValueOrDefault(f.Name)))
            .ToDictionary(f => f.Name, f => Input.Details[f.Name].Trim(), StringComparer.Ordinal);
        var a = Input.ShippingAddress;
        var command = new PlaceOrderCommand(
            [.. Input.Items.Select(i => new OrderItemInput(i.Sku ?? "", i.Quantity))],
            new ShippingAddressInput(a.Name ?? "", a.Line1 ?? "", a.Line2, a.City ?? "", a.PostalCode ?? "", a.Country ?? ""),
            Input.PaymentMethod ?? "",
            details,
            Input.StoreCredit ?? 0m,
            Input.IdempotencyKey ?? "",
            ClearCart: true,
            ExpectedPrices: Input.ExpectedPrices);
        var result = await sender.Send(command, cancellationToken);
        if (result.IsSuccess)
        {
            var placed = result.Value;
            // Pending: the order page itself shows the high-traffic notice for as long as the order waits.
            StatusMessage = placed.PaymentPending ? null : placed.Message;
            return Redirect($"/orders/{placed.Order.Id}");
        }

        // The items are hidden fields with no place on the page for their error: "Add at least one item." (a POST from an old
        // tab when nothing in the cart can be ordered) is the message itself, not "One or more fields are not valid."
        ShowError(
            result.Error.FieldErrors.TryGetValue(nameof(PlaceOrderCommand.Items), out var itemErrors) && itemErrors.Length > 0
                ? result.Error with { Message = itemErrors[0] }
                : result.Error,
            nameof(Input));
        if (result.Error.Code == "payment.declined")
        {
            // That key now stands for the declined attempt; another card is a new attempt.
            ModelState.Remove($"{nameof(Input)}.{nameof(InputModel.IdempotencyKey)}");
            Input.IdempotencyKey = Guid.NewGuid().ToString("N");
        }

        if (result.Error.FieldErrors.Keys.Any(k => Input.Items.Any(i => string.Equals(i.Sku?.Trim(), k, StringComparison.OrdinalIgnoreCase))))
        {
            // An item's own refusal (it left the cart in another tab, sold out, is no longer sold): the summary shows the
            // cart as it is now, and the form sends the same, so placing the order again orders what the customer sees.
            Input.Items = ItemsOf(Cart);
        }

        return Page();
    }

    /// <summary>
    /// The lines the form orders: the available ones. An unavailable line is listed at nothing and left out of the total, so
    /// ordering it anyway would either charge more than the total shown or refuse the whole order; it stays in the cart.
    /// </summary>
    private static List<ItemModel> ItemsOf(CartDto? cart) =>
        [.. (cart?.Lines ?? []).Where(l => l.Available).Select(l => new ItemModel { Sku = l.Sku, Quantity = l.Quantity })];

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var cart = await sender.Send(new GetCartQuery(), cancellationToken);
        Cart = cart.IsSuccess ? cart.Value : null;
        var methods = await sender.Send(new GetPaymentMethods(), cancellationToken);
        PaymentMethods = methods.IsSuccess ? [.. methods.Value.Where(m => m.Code != StoreCreditMethod)] : [];
        if (currentUser.UserId is { } userId)
        {
            var balance = await sender.Send(new GetStoreCreditBalance(userId), cancellationToken);
            StoreCreditBalance = balance.IsSuccess ? balance.Value.Balance : 0m;
        }
    }
}
