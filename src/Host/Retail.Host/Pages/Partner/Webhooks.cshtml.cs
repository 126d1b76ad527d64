using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Partners.Application.Webhooks;

namespace Retail.Host.Pages.Partner;

/// <summary>The stock webhook delivery log with every callback attempt, and a replay of the outcome callback.</summary>
public sealed class WebhooksModel(IRequestSender sender) : PartnerPortalPageModel(sender)
{
    public IReadOnlyList<WebhookDeliveryDto> Deliveries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostReplayAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        if (!await LoadPartnerAsync(cancellationToken))
        {
            return Page();
        }

        var result = await Sender.Send(new ReplayWebhookCallbackCommand(Partner!.Id, deliveryId), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error);
            await LoadAsync(cancellationToken);
            return Page();
        }

        StatusMessage = result.Value ? "The callback was delivered." : "The callback failed again; see the attempts below.";
        return Redirect("/partner/webhooks");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadPartnerAsync(cancellationToken))
        {
            return;
        }

        var result = await Sender.Send(new ListWebhookDeliveriesQuery(Partner!.Id), cancellationToken);
        if (result.IsSuccess)
        {
            Deliveries = result.Value;
        }
    }
}
