using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Ordering.Application.Carts;
using Retail.Modules.Ordering.Application.Carts.GetCart;
using Retail.Modules.Ordering.Application.Carts.RemoveCartLine;
using Retail.Modules.Ordering.Application.Carts.UpdateCartLine;

namespace Retail.Host.Pages.Cart;

/// <summary>The signed-in customer's cart: change quantities, remove lines, go to checkout.</summary>
public sealed class IndexModel(IRequestSender sender) : RetailPageModel
{
    public CartDto? Cart { get; private set; }

    public static string Money(decimal amount) => amount.ToString("C", CultureInfo.GetCultureInfo("en-US"));

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostUpdateAsync(string sku, int quantity, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // A quantity that did not bind (quantity=abc, past int range) arrived as 0 and was refused by the range rule
            // with a message about a 0 nobody typed. Say which value was refused instead, and change nothing.
            ShowError(BindingError());
            await LoadAsync(cancellationToken);
            return Page();
        }

        var result = await sender.Send(new UpdateCartLineCommand(sku ?? "", quantity), cancellationToken);
        if (result.IsSuccess)
        {
            StatusMessage = "Cart updated.";
            return Redirect("/cart");
        }

        ShowError(result.Error);
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(string sku, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new RemoveCartLineCommand(sku ?? ""), cancellationToken);
        if (result.IsSuccess)
        {
            StatusMessage = "Removed from your cart.";
            return Redirect("/cart");
        }

        ShowError(result.Error);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var cart = await sender.Send(new GetCartQuery(), cancellationToken);
        if (cart.IsSuccess)
        {
            Cart = cart.Value;
        }
        else if (ErrorMessage is null)
        {
            ShowError(cart.Error);
        }
    }
}
