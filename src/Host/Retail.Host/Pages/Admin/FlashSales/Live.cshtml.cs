using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.FlashSales.Application.Sales;

namespace Retail.Host.Pages.Admin.FlashSales;

/// <summary>
/// The live panel of one sale: sold, remaining and holds per product, 429s and the payment breaker. Rendered once, then
/// kept current by wwwroot/js/flash-live.js polling <c>GET /api/flash/sales/{id}</c> every 5 s.
/// </summary>
public sealed class LiveModel(IRequestSender sender) : RetailPageModel
{
    public FlashSaleDetailDto? Sale { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var sale = await sender.Send(new GetFlashSaleQuery(id), cancellationToken);
        if (sale.IsSuccess)
        {
            Sale = sale.Value;
            return Page();
        }

        if (sale.Error.Kind == ErrorKind.NotFound)
        {
            return NotFound();
        }

        ShowError(sale.Error);
        return Page();
    }
}
