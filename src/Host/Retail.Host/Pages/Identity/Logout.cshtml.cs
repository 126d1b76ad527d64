using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.SignIn;

namespace Retail.Host.Pages.Identity;

/// <summary>Sign-out is a POST with an antiforgery token, so a link on another site cannot sign a user out.</summary>
public sealed class LogoutModel(IRequestSender sender) : RetailPageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(new SignOutCommand(), cancellationToken);
        StatusMessage = "You are signed out.";
        return LocalRedirect("/");
    }
}
