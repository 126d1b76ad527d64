using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Products;
using Retail.Modules.Catalog.Application.Products.SearchProducts;

namespace Retail.Host.Pages.Admin.Catalog;

public sealed class IndexModel(IRequestSender sender) : RetailPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    // Query string only: Razor Pages route values include "page" (the page path), which would otherwise bind first.
    [BindProperty(Name = "page", SupportsGet = true)]
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public PagedResult<ProductSummaryDto>? Results { get; private set; }

    public string PageLink(int page) => $"/admin/catalog?search={Uri.EscapeDataString(Search ?? "")}&page={page}";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // A page number that did not bind (page=abc, one past int.MaxValue) left PageNumber at 1 and the admin got page
            // one as if they had asked for it. Say which value was refused instead.
            ShowError(BindingError());
            return;
        }

        var result = await sender.Send(new SearchProductsForAdminQuery(Search, PageNumber, 50), cancellationToken);
        if (result.IsSuccess)
        {
            Results = result.Value;
        }
        else
        {
            ShowError(result.Error);
        }
    }
}
