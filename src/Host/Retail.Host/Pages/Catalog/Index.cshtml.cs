using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Categories.GetCategories;
using Retail.Modules.Catalog.Application.Products;
using Retail.Modules.Catalog.Application.Products.SearchProducts;

namespace Retail.Host.Pages.Catalog;

public sealed class IndexModel(IRequestSender sender) : RetailPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    // Query string only: Razor Pages route values include "page" (the page path), which would otherwise bind first.
    [BindProperty(Name = "page", SupportsGet = true)]
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public PagedResult<ProductSummaryDto>? Results { get; private set; }

    public IReadOnlyList<CategoryDto> Categories { get; private set; } = [];

    public string PageLink(int page) =>
        "/catalog" + QueryString.Create(new List<KeyValuePair<string, string?>>
        {
            new("search", Search),
            new("category", Category),
            new("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        });

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var categories = await sender.Send(new GetCategoriesQuery(), cancellationToken);
        Categories = categories.IsSuccess ? categories.Value : [];
        if (!ModelState.IsValid)
        {
            // A page number that did not bind (page=abc, one past int.MaxValue) left PageNumber at 1: the visitor got page
            // one as if they had asked for it. Say what was wrong instead.
            ShowError(BindingError());
            return;
        }

        var result = await sender.Send(new SearchProductsQuery(Search, Category, PageNumber, 24), cancellationToken);
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
