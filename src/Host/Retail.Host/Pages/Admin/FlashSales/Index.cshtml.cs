using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Features;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.FlashSales.Application.Sales;

namespace Retail.Host.Pages.Admin.FlashSales;

/// <summary>Catalog admins: the flash sales, paged and searchable, with their state now, links to edit and to the live panel.</summary>
public sealed class IndexModel(IRequestSender sender, IFeatureToggles features) : RetailPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    // Query string only: Razor Pages route values include "page" (the page path), which would otherwise bind first.
    [BindProperty(Name = "page", SupportsGet = true)]
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public PagedResult<FlashSaleSummaryDto>? Results { get; private set; }

    public IReadOnlyList<FlashSaleSummaryDto> Sales => Results?.Items ?? [];

    public string PageLink(int page) =>
        "/admin/flash-sales" + QueryString.Create(new List<KeyValuePair<string, string?>>
        {
            new("search", Search),
            new("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        });

    public FeatureState? Feature { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // A page number that did not bind (page=abc): say so instead of showing page one as if it had been asked for.
            ShowError(BindingError());
        }
        else
        {
            var sales = await sender.Send(new GetFlashSalesQuery(Search, PageNumber), cancellationToken);
            if (sales.IsSuccess)
            {
                Results = sales.Value;
            }
            else if (ErrorMessage is null)
            {
                ShowError(sales.Error);
            }
        }

        if (features.Find(Retail.BuildingBlocks.Application.Features.Features.FlashSales) is { } toggle)
        {
            Feature = await toggle.GetStateAsync(cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostEndAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new EndFlashSaleCommand(id), cancellationToken);
        if (result.IsSuccess)
        {
            StatusMessage = "The sale has ended.";
            return Redirect("/admin/flash-sales");
        }

        ShowError(result.Error);
        return await OnGetAsync(cancellationToken);
    }
}
