using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Partners.Application.Partners;

namespace Retail.Host.Pages.Admin.Partners;

public sealed class IndexModel(IRequestSender sender) : RetailPageModel
{
    public sealed class InputModel
    {
        public string Name { get; set; } = "";

        public string ContactEmail { get; set; } = "";

        public string? CallbackUrl { get; set; }

        public bool StrictMode { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    public IReadOnlyList<PartnerSummaryDto> Partners { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(new CreatePartnerCommand(Input.Name, Input.ContactEmail, Input.CallbackUrl, Input.StrictMode), cancellationToken);
        if (result.IsSuccess)
        {
            StatusMessage = $"Partner {Input.Name.Trim()} created. Create an API key for it below.";
            return Redirect($"/admin/partners/{result.Value}");
        }

        ShowError(result.Error, nameof(Input));
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(new ListPartnersQuery(Search), cancellationToken);
        if (result.IsSuccess)
        {
            Partners = result.Value;
        }
    }
}
