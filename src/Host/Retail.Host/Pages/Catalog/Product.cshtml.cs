using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Products;
using Retail.Modules.Catalog.Application.Products.GetProduct;

namespace Retail.Host.Pages.Catalog;

public sealed class ProductModel(IRequestSender sender) : RetailPageModel
{
    public ProductDetailDto? Product { get; private set; }

    public async Task<IActionResult> OnGetAsync(string sku, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new GetProductQuery(sku), cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFound();
        }

        Product = result.Value;
        return Page();
    }
}
