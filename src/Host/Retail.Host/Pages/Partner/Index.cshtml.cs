using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Partners.Application.Partners;

namespace Retail.Host.Pages.Partner;

public sealed class IndexModel(IRequestSender sender) : PartnerPortalPageModel(sender)
{
    /// <summary>The plain webhook secret right after it was issued: shown once, stored only encrypted.</summary>
    public string? NewWebhookSecret { get; private set; }

    /// <summary>Until when the replaced secret is still accepted (rotation with overlap), with <see cref="NewWebhookSecret"/>.</summary>
    public DateTimeOffset? NewWebhookSecretPreviousUntil { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadPartnerAsync(cancellationToken);

    public async Task<IActionResult> OnPostRotateWebhookSecretAsync(int overlapHours, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // "24h" or "1.5" does not bind and would arrive as 0: the old secret would stop at once instead of overlapping.
            ShowError(BindingError());
            await LoadPartnerAsync(cancellationToken);
            return Page();
        }

        var result = await Sender.Send(new RotateMyWebhookSecretCommand(overlapHours), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error);
        }
        else
        {
            // Rendered in this response only (no redirect, nothing in TempData): the secret is never shown again.
            NewWebhookSecret = result.Value.Secret;
            NewWebhookSecretPreviousUntil = result.Value.PreviousValidUntil;
        }

        await LoadPartnerAsync(cancellationToken);
        return Page();
    }
}
