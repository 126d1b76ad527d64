using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.FlashSales.Application.Listing;
using Retail.Modules.Ordering.Application.Carts.AddToCart;

namespace Retail.Host.Pages.Flash;

/// <summary>
/// SPEC P1: live and upcoming flash sales from the cached listing, with countdowns (server time; a small script ticks them
/// down), flash vs regular price, bucketed "only N left" and sold-out badges. Adding to the cart needs a signed-in customer:
/// visitors see a "Sign in to buy" link back to this page instead of the form, so their page is the same for all of them
/// and is served from the output cache (<see cref="Web.FlashListingOutputCache"/>).
/// </summary>
[OutputCache(PolicyName = Web.FlashListingOutputCache.PolicyName)]
public sealed class ProductsModel(IRequestSender sender) : RetailPageModel
{
    public FlashListingDto? Listing { get; private set; }

    /// <summary>Set when flash sales are switched off: the page says so instead of failing.</summary>
    public string? UnavailableMessage { get; private set; }

    public static string Money(decimal amount) => amount.ToString("C", CultureInfo.GetCultureInfo("en-US"));

    /// <summary>"2d 03:04:05" style countdown text for the first render (the script keeps it current).</summary>
    public static string Countdown(long seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return span.Days > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{span.Days}d {span:hh\\:mm\\:ss}")
            : span.ToString("hh\\:mm\\:ss", CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAddAsync(string sku, CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }

        var result = await sender.Send(new AddToCartCommand(sku ?? "", 1), cancellationToken);
        if (result.IsSuccess)
        {
            StatusMessage = $"Added to your cart ({result.Value} × {(sku ?? "").Trim().ToUpperInvariant()}).";
            return Redirect("/cart");
        }

        ShowError(result.Error);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var listing = await sender.Send(new GetFlashProductsQuery(), cancellationToken);
        if (listing.IsSuccess)
        {
            Listing = listing.Value;
        }
        else if (listing.Error.Kind == ErrorKind.Unavailable)
        {
            UnavailableMessage = listing.Error.Message;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
        else if (ErrorMessage is null)
        {
            ShowError(listing.Error);
        }
    }
}
