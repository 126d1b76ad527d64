using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Features;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.FlashSales.Application.Sales;

namespace Retail.Host.Pages.Admin.FlashSales;

/// <summary>Catalog admins: every flash sale with its state now, links to edit and to the live panel.</summary>
public sealed class IndexModel(IRequestSender sender, IFeatureToggles features) : RetailPageModel
{
    public IReadOnlyList<FlashSaleSummaryDto> Sales { get; private set; } = [];

    public FeatureState? Feature { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var sales = await sender.Send(new GetFlashSalesQuery(), cancellationToken);
        if (sales.IsSuccess)
        {
            Sales = sales.Value;
        }
        else
        {
            ShowError(sales.Error);
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
