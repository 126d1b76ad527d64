using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Partners.Application.Partners;

namespace Retail.Host.Pages.Partner;

/// <summary>Base of the partner portal pages: the signed-in partner user's partner (role <c>partner</c>, linked by the shop).</summary>
public abstract class PartnerPortalPageModel(IRequestSender sender) : RetailPageModel
{
    protected IRequestSender Sender { get; } = sender;

    public PartnerDetailDto? Partner { get; private set; }

    /// <summary>Loads the partner; false (with the message shown) when the account is not linked to one.</summary>
    protected async Task<bool> LoadPartnerAsync(CancellationToken cancellationToken)
    {
        var result = await Sender.Send(new GetMyPartnerQuery(), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error);
            return false;
        }

        Partner = result.Value;
        return true;
    }
}
