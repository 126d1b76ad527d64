using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Partners.Application.Feeds;
using Retail.Modules.Partners.Application.Partners;

namespace Retail.Host.Pages.Admin.Partners;

/// <summary>One partner: settings, API keys (create shows the key once, revoke), portal users, feed jobs, authentication audit.</summary>
public sealed class DetailsModel(IRequestSender sender) : RetailPageModel
{
    public sealed class SettingsInput
    {
        public string Name { get; set; } = "";

        public string ContactEmail { get; set; } = "";

        public string? CallbackUrl { get; set; }

        public bool StrictMode { get; set; }
    }

    public sealed class KeyInput
    {
        public string Name { get; set; } = "";

        public bool Sandbox { get; set; }

        public int? ExpiresInDays { get; set; }
    }

    public sealed class UserInput
    {
        public string Email { get; set; } = "";

        public string DisplayName { get; set; } = "";

        public string Password { get; set; } = "";
    }

    [BindProperty]
    public SettingsInput Settings { get; set; } = new();

    [BindProperty]
    public KeyInput Key { get; set; } = new();

    [BindProperty]
    public UserInput NewUser { get; set; } = new();

    public PartnerDetailDto? Partner { get; private set; }

    public PagedResult<FeedJobDto>? Jobs { get; private set; }

    public PagedResult<AuthAuditDto>? Audit { get; private set; }

    /// <summary>The plain key right after creation: shown once, never stored.</summary>
    public string? NewKey { get; private set; }

    /// <summary>The plain webhook secret right after it was issued: shown once, stored only encrypted.</summary>
    public string? NewWebhookSecret { get; private set; }

    /// <summary>Until when the replaced secret is still accepted (rotation with overlap), with <see cref="NewWebhookSecret"/>.</summary>
    public DateTimeOffset? NewWebhookSecretPreviousUntil { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostSettingsAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new UpdatePartnerCommand(id, Settings.Name, Settings.ContactEmail, Settings.CallbackUrl, Settings.StrictMode), cancellationToken);
        return await AfterAsync(id, result, "Settings saved.", nameof(Settings), cancellationToken);
    }

    public async Task<IActionResult> OnPostCreateKeyAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // An expiry that is not a whole number of days ("1.5", "7d") does not bind and arrived as none: the admin asked
            // for a key that stops working soon and got one that never does.
            ShowError(BindingError());
            return await LoadAsync(id, cancellationToken, keepInput: true) ? Page() : NotFound();
        }

        var result = await sender.Send(new CreateApiKeyCommand(id, Key.Name, Key.Sandbox, Key.ExpiresInDays), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error, nameof(Key));
        }
        else
        {
            // Rendered in this response only (no redirect, nothing in TempData): the key is never shown again.
            NewKey = result.Value.PlainText;
        }

        return await LoadAsync(id, cancellationToken, keepInput: true) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostRotateWebhookSecretAsync(Guid id, int overlapHours, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // "24h" or "1.5" does not bind and would arrive as 0: the old secret would stop at once instead of overlapping.
            ShowError(BindingError());
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }

        var result = await sender.Send(new RotateWebhookSecretCommand(id, overlapHours), cancellationToken);
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

        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(Guid id, Guid keyId, CancellationToken cancellationToken) =>
        await AfterAsync(id, await sender.Send(new RevokeApiKeyCommand(id, keyId), cancellationToken), "Key revoked: it stops working at once.", null, cancellationToken);

    public async Task<IActionResult> OnPostCreateUserAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new CreatePartnerUserCommand(id, NewUser.Email, NewUser.Password, NewUser.DisplayName), cancellationToken);
        return await AfterAsync(id, result.IsSuccess ? Result.Success() : result.Error, $"Portal user {NewUser.Email} created.", nameof(NewUser), cancellationToken);
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid id, Guid jobId, CancellationToken cancellationToken) =>
        await AfterAsync(id, await sender.Send(new ConfirmFeedDeactivationCommand(jobId), cancellationToken), "Deactivation confirmed; the job has completed.", null, cancellationToken);

    public async Task<IActionResult> OnPostCancelAsync(Guid id, Guid jobId, CancellationToken cancellationToken) =>
        await AfterAsync(id, await sender.Send(new CancelFeedJobCommand(jobId), cancellationToken), "Job cancelled.", null, cancellationToken);

    private async Task<IActionResult> AfterAsync(Guid id, Result result, string success, string? prefix, CancellationToken cancellationToken)
    {
        if (result.IsSuccess)
        {
            StatusMessage = success;
            return Redirect($"/admin/partners/{id}");
        }

        ShowError(result.Error, prefix);
        return await LoadAsync(id, cancellationToken, keepInput: true) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken, bool keepInput = false)
    {
        var partner = await sender.Send(new GetPartnerQuery(id), cancellationToken);
        if (!partner.IsSuccess)
        {
            return false;
        }

        Partner = partner.Value;
        if (!keepInput)
        {
            Settings = new SettingsInput { Name = Partner.Name, ContactEmail = Partner.ContactEmail, CallbackUrl = Partner.CallbackUrl, StrictMode = Partner.StrictMode };
        }

        var jobs = await sender.Send(new ListFeedJobsQuery(id, 1, 20), cancellationToken);
        Jobs = jobs.IsSuccess ? jobs.Value : null;
        var audit = await sender.Send(new GetAuthAuditQuery(id, 1, 50), cancellationToken);
        Audit = audit.IsSuccess ? audit.Value : null;
        return true;
    }
}
