using Microsoft.AspNetCore.Mvc;
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

    public async Task<IActionResult> OnGetAsync(string sku, CancellationToken cancellationToken) =>
        await LoadAsync(sku, cancellationToken) ? Page() : NotFound();

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
        var movements = await sender.Send(new GetStockMovementsQuery(sku, Math.Max(1, PageNumber)), cancellationToken);
        Movements = movements.IsSuccess ? movements.Value : null;
        return true;
    }
}
