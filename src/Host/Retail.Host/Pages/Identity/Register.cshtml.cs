using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.Register;
using Retail.Modules.Identity.Application.SignIn;

namespace Retail.Host.Pages.Identity;

public sealed class RegisterModel(IRequestSender sender) : RetailPageModel
{
    public sealed class InputModel
    {
        public string DisplayName { get; set; } = "";

        public string Email { get; set; } = "";

        public string Password { get; set; } = "";

        public string ConfirmPassword { get; set; } = "";
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var registered = await sender.Send(new RegisterCustomerCommand(Input.Email, Input.Password, Input.ConfirmPassword, Input.DisplayName), cancellationToken);
        if (!registered.IsSuccess)
        {
            ShowError(registered.Error, nameof(Input));
            return Page();
        }

        // After the registration committed, never inside its transaction (a slow mail server would hold the write lock).
        await sender.Send(new SendEmailConfirmationCommand(registered.Value), cancellationToken);
        await sender.Send(new SignInCommand(Input.Email, Input.Password, RememberMe: false), cancellationToken);
        StatusMessage = "Welcome! Your account is ready.";
        return LocalRedirect("/");
    }
}
