using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Partners.Application.Partners;

namespace Retail.Host.Pages.Admin.Partners;

/// <summary>Every partner API authentication attempt (SPEC S1), including unknown keys that belong to no partner.</summary>
public sealed class AuditModel(IRequestSender sender) : RetailPageModel
{
    [BindProperty(Name = "page", SupportsGet = true)]
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public PagedResult<AuthAuditDto>? Audit { get; private set; }

    public static string PageLink(int page) => $"/admin/partners/audit?page={page}";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // A page number that did not bind (page=abc, one past int.MaxValue) left PageNumber at 1 and the admin got page
            // one as if they had asked for it. Say which value was refused instead.
            ShowError(BindingError());
            return;
        }

        // No clamping: page 0 was shown as page 1. The query's validator answers it like a page past the cap.
        var result = await sender.Send(new GetAuthAuditQuery(null, PageNumber), cancellationToken);
        if (result.IsSuccess)
        {
            Audit = result.Value;
        }
        else
        {
            ShowError(result.Error);
        }
    }
}
