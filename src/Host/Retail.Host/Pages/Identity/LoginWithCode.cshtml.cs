using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.SignIn;

namespace Retail.Host.Pages.Identity;

/// <summary>
/// The second step of signing in to an account with two-factor authentication on: the login page sends the customer here
/// once the password was right, and the authenticator app's 6-digit code finishes the sign-in.
/// </summary>
[AllowAnonymous]
public sealed class LoginWithCodeModel(IRequestSender sender) : RetailPageModel
{
    public sealed class InputModel
    {
        public string Code { get; set; } = "";
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The login page's "keep me signed in", carried to the sign-in this step finishes.</summary>
    [BindProperty(SupportsGet = true)]
    public bool RememberMe { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            ShowError(BindingError(), nameof(Input));
            return Page();
        }

        var result = await sender.Send(new TwoFactorSignInCommand(Input.Code ?? "", RememberMe), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error, nameof(Input));
            return Page();
        }

        // Only local return URLs, as on the login page.
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
