using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.SignIn;

namespace Retail.Host.Pages.Identity;

public sealed class LoginModel(IRequestSender sender) : RetailPageModel
{
    public sealed class InputModel
    {
        public string Email { get; set; } = "";

        public string Password { get; set; } = "";

        public bool RememberMe { get; set; }
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
        if (!ModelState.IsValid)
        {
            // Fields that do not even bind (e.g. a "remember me" that is not a boolean): the form again, no sign-in attempt.
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var result = await sender.Send(new SignInCommand(Input.Email, Input.Password, Input.RememberMe), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error, nameof(Input));
            return Page();
        }

        // Only local return URLs: an open redirect would let a phishing link bounce users off our login.
        var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
        if (result.Value == SignInOutcome.RequiresTwoFactor)
        {
            // The password was right; the authenticator code finishes the sign-in, then goes on to where the customer was going.
            return RedirectToPage("/Identity/LoginWithCode", new { ReturnUrl = returnUrl, Input.RememberMe });
        }

        return LocalRedirect(returnUrl);
    }
}
