using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Identity.Application.PasswordReset;

namespace Retail.Host.Pages.Identity;

/// <summary>
/// "Forgot your password?": asks for the email and always answers the same way, whether or not an account has it, so
/// the page cannot be used to find out who shops here.
/// </summary>
[AllowAnonymous]
public sealed class ForgotPasswordModel(IRequestSender sender) : RetailPageModel
{
    public const string SentMessage =
        "If an account exists for this email, we have sent it a message with a link to choose a new password. Check your inbox (and spam folder).";

    public sealed class InputModel
    {
        public string Email { get; set; } = "";
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>True once the request was accepted: the page shows <see cref="SentMessage"/> instead of the form.</summary>
    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(new RequestPasswordResetCommand(Input.Email ?? ""), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error, nameof(Input));
            return Page();
        }

        Sent = true;
        return Page();
    }
}
