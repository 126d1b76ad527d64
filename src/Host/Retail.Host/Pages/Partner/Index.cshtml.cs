using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.Host.Pages.Partner;

public sealed class IndexModel(IRequestSender sender) : PartnerPortalPageModel(sender)
{
    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadPartnerAsync(cancellationToken);
}
