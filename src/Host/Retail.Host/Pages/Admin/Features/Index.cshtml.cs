using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Features;

namespace Retail.Host.Pages.Admin.Features;

/// <summary>SPEC M4: the run-time switches of every module; switching one off makes its pages and APIs say so.</summary>
public sealed class IndexModel(IFeatureToggles toggles, ICurrentUser user) : RetailPageModel
{
    public IReadOnlyList<FeatureState> Features { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Features = await Task.WhenAll(toggles.All.Select(t => t.GetStateAsync(cancellationToken)));
        return Page();
    }

    // Nullable: a missing or non-boolean value ("maybe") must not bind to false and switch the feature off.
    public async Task<IActionResult> OnPostAsync(string name, bool? enabled, CancellationToken cancellationToken)
    {
        if (toggles.Find(name ?? "") is not { } toggle)
        {
            ShowError(Error.NotFound("feature.not_found", "There is no such feature."));
            return await OnGetAsync(cancellationToken);
        }

        if (enabled is not { } on || !ModelState.IsValid)
        {
            ShowError(Error.Validation(new Dictionary<string, string[]> { ["enabled"] = ["Choose on or off."] }) with { Message = "Choose on or off." });
            return await OnGetAsync(cancellationToken);
        }

        var state = await toggle.SetEnabledAsync(on, user.UserName ?? user.UserId ?? "admin", cancellationToken);
        StatusMessage = $"{state.DisplayName} switched {(state.Enabled ? "on" : "off")}.";
        return Redirect("/admin/features");
    }
}
