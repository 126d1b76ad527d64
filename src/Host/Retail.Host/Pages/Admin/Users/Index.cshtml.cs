using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Identity.Application.Abstractions;
using Retail.Modules.Identity.Application.Users;

namespace Retail.Host.Pages.Admin.Users;

/// <summary>
/// The shop's accounts: list and search; invite a staff member (the email lets them choose a password); grant and remove
/// staff roles; lock and unlock. The rules (who may give which role to whom) are the commands'; the page only offers the
/// roles the signed-in admin may give.
/// </summary>
public sealed class IndexModel(IRequestSender sender) : RetailPageModel
{
    public sealed class InviteInput
    {
        public string Email { get; set; } = "";

        public string DisplayName { get; set; } = "";

        public string Role { get; set; } = "";
    }

    public sealed class RoleChangeInput
    {
        public string UserId { get; set; } = "";

        public string Role { get; set; } = "";

        public RoleChange Action { get; set; }
    }

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    // Query string only: Razor Pages route values include "page" (the page path), which would otherwise bind first.
    [BindProperty(Name = "page", SupportsGet = true)]
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    [BindProperty]
    public InviteInput Invite { get; set; } = new();

    [BindProperty]
    public RoleChangeInput Change { get; set; } = new();

    public PagedResult<UserSummaryDto>? Results { get; private set; }

    /// <summary>The staff roles this admin may give (admin and super-admin only to a super-admin).</summary>
    public IReadOnlyList<string> GrantableRoles => StaffAccess.GrantableBy(User.IsInRole(Roles.SuperAdmin));

    /// <summary>The signed-in admin's own row gets no forms: nobody changes their own account here.</summary>
    public bool IsSelf(UserSummaryDto user) => user.Id == User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;

    public string PageLink(int page) => $"/admin/users?search={Uri.EscapeDataString(Search ?? "")}&page={page}";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // A page number that does not bind (page=abc, or past int range) left PageNumber at 1 and showed the first page
        // as if nothing were wrong: say which value was refused instead.
        if (!ModelState.IsValid)
        {
            ShowError(BindingError());
            return;
        }

        // Out of range (0, -1, past Paging.MaxPage) is the query's validation error, as on every other list; page 0 used to
        // be turned into page 1 here and shown as if asked for.
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken)
    {
        var email = (Invite.Email ?? "").Trim();
        var created = await sender.Send(new InviteStaffMemberCommand(email, Invite.DisplayName ?? "", Invite.Role ?? ""), cancellationToken);
        if (!created.IsSuccess)
        {
            ShowError(created.Error, nameof(Invite));
            return await ListAfterErrorAsync(cancellationToken);
        }

        // After the account committed, never inside its transaction (a slow mail server would hold the write lock).
        var sent = await sender.Send(new SendStaffInvitationCommand(created.Value), cancellationToken);
        if (!sent.IsSuccess)
        {
            ShowError(sent.Error);
            return await ListAfterErrorAsync(cancellationToken);
        }

        StatusMessage = $"Invitation sent to {email}: the email's link lets them choose a password.";
        return Redirect(ListOf(email));
    }

    public async Task<IActionResult> OnPostRoleAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // An action that is neither Grant nor Remove does not bind, and would arrive as Grant.
            ShowError(BindingError());
            return await ListAfterErrorAsync(cancellationToken);
        }

        var result = await sender.Send(new ChangeUserRoleCommand(Change.UserId ?? "", Change.Role ?? "", Change.Action), cancellationToken);
        return await AfterChangeAsync(result,
            Change.Action == RoleChange.Grant ? $"Role {Change.Role} granted." : $"Role {Change.Role} removed.", cancellationToken);
    }

    public async Task<IActionResult> OnPostLockAsync(string? userId, CancellationToken cancellationToken) =>
        await AfterChangeAsync(await sender.Send(new SetUserLockCommand(userId ?? "", Locked: true), cancellationToken),
            "Account locked: it cannot sign in, and its open sessions end within a minute.", cancellationToken);

    public async Task<IActionResult> OnPostUnlockAsync(string? userId, CancellationToken cancellationToken) =>
        await AfterChangeAsync(await sender.Send(new SetUserLockCommand(userId ?? "", Locked: false), cancellationToken),
            "Account unlocked: it can sign in again.", cancellationToken);

    private async Task<IActionResult> AfterChangeAsync(Result result, string done, CancellationToken cancellationToken)
    {
        if (!result.IsSuccess)
        {
            ShowError(result.Error);
            return await ListAfterErrorAsync(cancellationToken);
        }

        StatusMessage = done + " The user's sessions pick the change up within a minute.";
        return Redirect(PageLink(PageNumber));
    }

    /// <summary>The list again under the error, keeping the status code the error set.</summary>
    private async Task<IActionResult> ListAfterErrorAsync(CancellationToken cancellationToken)
    {
        var status = Response.StatusCode;
        await LoadAsync(cancellationToken);
        Response.StatusCode = status;
        return Page();
    }

    private static string ListOf(string email) => $"/admin/users?search={Uri.EscapeDataString(email)}&page=1";

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(new GetUsersQuery(Search, PageNumber), cancellationToken);
        if (result.IsSuccess)
        {
            Results = result.Value;
        }
        else if (ErrorMessage is null)
        {
            ShowError(result.Error);
        }
    }
}
