using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.SignIn;

namespace Retail.Host.Pages.Identity;

/// <summary>
/// The second step of a two-factor sign-in for a customer without the authenticator app: one of the recovery codes given
/// when two-factor authentication was turned on. Each code works once.
/// </summary>
[AllowAnonymous]
public sealed class LoginWithRecoveryCodeModel(IRequestSender sender) : RetailPageModel
{
    public sealed class InputModel
    {
        public string RecoveryCode { get; set; } = "";
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(new RecoveryCodeSignInCommand(Input.RecoveryCode ?? ""), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error, nameof(Input));
            return Page();
        }

        // Only local return URLs, as on the login page.
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
