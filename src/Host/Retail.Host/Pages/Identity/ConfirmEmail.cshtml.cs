using Microsoft.AspNetCore.Authorization;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.PasswordReset;

namespace Retail.Host.Pages.Identity;

/// <summary>
/// The link of the confirmation email: confirms the address and says so on a page (Identity's own endpoint answers a
/// bare line of text). A GET that changes state, as an emailed link must be; the code makes it unguessable and repeating
/// it changes nothing. With <c>changedEmail</c> (the link of a change of address, sent to the new address) it changes the
/// account's email and sign-in name to it.
/// </summary>
[AllowAnonymous]
public sealed class ConfirmEmailModel(IRequestSender sender) : RetailPageModel
{
    public bool Confirmed { get; private set; }

    /// <summary>The account's new address when the link confirmed a change of address; null for a first confirmation.</summary>
    public string? ChangedEmail { get; private set; }

    public async Task OnGetAsync(string? userId, string? code, string? changedEmail, CancellationToken cancellationToken)
    {
        var result = changedEmail is null
            ? await sender.Send(new ConfirmEmailCommand(userId ?? "", code ?? ""), cancellationToken)
            : await sender.Send(new ConfirmEmailChangeCommand(userId ?? "", code ?? "", changedEmail), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error);
            return;
        }

        Confirmed = true;
        ChangedEmail = changedEmail?.Trim();
    }
}
