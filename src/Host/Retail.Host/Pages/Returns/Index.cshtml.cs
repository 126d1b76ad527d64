using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Payments.IntegrationEvents;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Application.Returns.GetEligibility;
using Retail.Modules.Returns.Application.Returns.GetMine;

namespace Retail.Host.Pages.Returns;

/// <summary>"My returns": the customer's returns with status badges, delivered orders a return can start from, and their store credit.</summary>
public sealed class IndexModel(IRequestSender sender, ICurrentUser user, TimeProvider time) : RetailPageModel
{
    [BindProperty(Name = "page", SupportsGet = true)]
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public PagedResult<ReturnSummaryDto>? Returns { get; private set; }

    public IReadOnlyList<ReturnableOrderDto> Returnable { get; private set; } = [];

    public decimal? StoreCredit { get; private set; }

    public DateTimeOffset Now => time.GetUtcNow();

    public string PageLink(int page) => $"/returns?page={page}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // A page number that did not bind (page=abc, one past int.MaxValue) left PageNumber at 1: the customer got page
            // one as if they had asked for it. Say which value was refused instead.
            ShowError(BindingError());
            return Page();
        }

        // No clamping: page 0 was shown as page 1. The query's validator answers it like a page past the cap.
        var mine = await sender.Send(new GetMyReturnsQuery(PageNumber), cancellationToken);
        if (!mine.IsSuccess)
        {
            ShowError(mine.Error);
            return Page();
        }

        Returns = mine.Value;
        var returnable = await sender.Send(new GetMyReturnableOrdersQuery(), cancellationToken);
        Returnable = returnable.IsSuccess ? returnable.Value : [];
        var credit = await sender.Send(new GetStoreCreditBalance(user.UserId ?? ""), cancellationToken);
        StoreCredit = credit.IsSuccess ? credit.Value.Balance : null;
        return Page();
    }
}
