using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.PasswordReset;

namespace Retail.Host.Pages.Identity;

/// <summary>
/// The link of the reset email lands here with the email and code filled in; the customer chooses a new password (the
/// registration rules) and goes on to sign in. The change ends the account's other sessions (ADR 0012).
/// </summary>
[AllowAnonymous]
public sealed class ResetPasswordModel(IRequestSender sender) : RetailPageModel
{
    public const string ChangedMessage = "Your password was changed. Sign in with your new password.";

    public sealed class InputModel
    {
        public string Email { get; set; } = "";

        public string Code { get; set; } = "";

        public string NewPassword { get; set; } = "";

        public string ConfirmPassword { get; set; } = "";
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public void OnGet(string? email, string? code)
    {
        Input.Email = email ?? "";
        Input.Code = code ?? "";
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(
            new ResetPasswordCommand(Input.Email ?? "", Input.Code ?? "", Input.NewPassword ?? "", Input.ConfirmPassword ?? ""), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error, nameof(Input));
            return Page();
        }

        StatusMessage = ChangedMessage;
        return LocalRedirect("/Identity/Login");
    }
}
