using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Products;
using Retail.Modules.Catalog.Application.Products.AdjustStock;
using Retail.Modules.Catalog.Application.Products.GetProduct;
using Retail.Modules.Catalog.Application.Products.GetStockMovements;

namespace Retail.Host.Pages.Admin.Catalog;

public sealed class StockModel(IRequestSender sender) : RetailPageModel
{
    public sealed class InputModel
    {
        public int Delta { get; set; }

        public string Reason { get; set; } = "";
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    // Query string only: Razor Pages route values include "page" (the page path), which would otherwise bind first.
    [BindProperty(Name = "page", SupportsGet = true)]
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public ProductDetailDto? Product { get; private set; }

    public PagedResult<StockMovementDto>? Movements { get; private set; }

    public string PageLink(int page) => $"/admin/catalog/stock/{Uri.EscapeDataString(Product?.Sku ?? "")}?page={page}";

    public async Task<IActionResult> OnGetAsync(string sku, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // A page number that did not bind (page=abc, one past int.MaxValue) left PageNumber at 1 and the admin got the
            // newest movements as if they had asked for them. Say which value was refused instead (the product still shows).
            ShowError(BindingError());
        }

        return await LoadAsync(sku, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(string sku, CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var result = await sender.Send(new AdjustStockCommand(sku, Input.Delta, Input.Reason), cancellationToken);
            if (result.IsSuccess)
            {
                StatusMessage = $"Stock is now {result.Value}.";
                return Redirect($"/admin/catalog/stock/{Uri.EscapeDataString(sku)}");
            }

            ShowError(result.Error, nameof(Input));
        }
        else
        {
            // Binding failed (e.g. "many" as a change): answered like every other page's binding error, with the reference id.
            ShowError(BindingError());
        }

        return await LoadAsync(sku, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string sku, CancellationToken cancellationToken)
    {
        var product = await sender.Send(new GetProductForAdminQuery(sku), cancellationToken);
        if (!product.IsSuccess)
        {
            return false;
        }

        Product = product.Value;
        if (ModelState.TryGetValue("page", out var page) && page.ValidationState == ModelValidationState.Invalid)
        {
            // The page number did not bind: there is no page to show, and the binding error is already the page's message.
            return true;
        }

        // No clamping: page 0 was shown as page 1 and a page past Paging's cap quietly listed nothing. The query's validator
        // answers both, and its error is shown like any other unless the posted change already has one to show.
        var movements = await sender.Send(new GetStockMovementsQuery(sku, PageNumber), cancellationToken);
        if (movements.IsSuccess)
        {
            Movements = movements.Value;
        }
        else if (ErrorMessage is null)
        {
            ShowError(movements.Error);
        }

        return true;
    }
}
