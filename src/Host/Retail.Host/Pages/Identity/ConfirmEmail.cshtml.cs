using Microsoft.AspNetCore.Authorization;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.PasswordReset;

namespace Retail.Host.Pages.Identity;

/// <summary>
/// The link of the confirmation email: confirms the address and says so on a page (Identity's own endpoint answers a
/// bare line of text). A GET that changes state, as an emailed link must be; the code makes it unguessable and repeating
/// it changes nothing.
/// </summary>
[AllowAnonymous]
public sealed class ConfirmEmailModel(IRequestSender sender) : RetailPageModel
{
    public bool Confirmed { get; private set; }

    public async Task OnGetAsync(string? userId, string? code, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new ConfirmEmailCommand(userId ?? "", code ?? ""), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error);
            return;
        }

        Confirmed = true;
    }
}
