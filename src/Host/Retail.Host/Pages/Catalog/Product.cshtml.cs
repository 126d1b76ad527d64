using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Products;
using Retail.Modules.Catalog.Application.Products.GetProduct;
using Retail.Modules.Ordering.Application.Carts.AddToCart;

namespace Retail.Host.Pages.Catalog;

public sealed class ProductModel(IRequestSender sender) : RetailPageModel
{
    public sealed class InputModel
    {
        public int Quantity { get; set; } = 1;
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public ProductDetailDto? Product { get; private set; }

    /// <summary>
    /// The description with the admin's line breaks (its paragraphs and lists) as &lt;br /&gt;: each line is appended as
    /// text, so it is HTML-encoded on its own and no markup of the description itself reaches the page.
    /// </summary>
    public IHtmlContent DescriptionHtml
    {
        get
        {
            var html = new HtmlContentBuilder();
            var lines = (Product?.Description ?? "").ReplaceLineEndings("\n").Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (i > 0)
                {
                    html.AppendHtml("<br />");
                }

                html.Append(lines[i]);
            }

            return html;
        }
    }

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public string LoginLink => "/Identity/Login?ReturnUrl=" + Uri.EscapeDataString($"/catalog/product/{Product?.Sku}");

    public async Task<IActionResult> OnGetAsync(string sku, CancellationToken cancellationToken) =>
        await LoadAsync(sku, cancellationToken) ? Page() : NotFound();

    /// <summary>Add to cart (the folder is open to anonymous visitors, the handler is not).</summary>
    public async Task<IActionResult> OnPostAsync(string sku, CancellationToken cancellationToken)
    {
        if (!SignedIn)
        {
            return Challenge();
        }

        if (ModelState.IsValid)
        {
            var result = await sender.Send(new AddToCartCommand(sku, Input.Quantity), cancellationToken);
            if (result.IsSuccess)
            {
                StatusMessage = $"Added to your cart ({result.Value} × {sku.Trim().ToUpperInvariant()}).";
                return Redirect("/cart");
            }

            ShowError(result.Error, nameof(Input));
        }
        else
        {
            // A quantity that did not bind (quantity=abc, one past int.MaxValue) only showed the field's message with no
            // reference id; answered like every other page's binding error instead.
            ShowError(BindingError());
        }

        return await LoadAsync(sku, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string sku, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new GetProductQuery(sku), cancellationToken);
        if (!result.IsSuccess)
        {
            return false;
        }

        Product = result.Value;
        return true;
    }
}
