using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Host.Web;
using Retail.Modules.Returns.Application;
using Retail.Modules.Returns.Application.Photos;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Application.Returns.GetEligibility;
using Retail.Modules.Returns.Application.Returns.Submit;

namespace Retail.Host.Pages.Returns;

/// <summary>Start a return from a delivered order: eligibility line by line, reason, preferred outcome and up to five photos.</summary>
[RequestSizeLimit(ReturnPhotoForms.MaxNewReturnBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = ReturnPhotoForms.MaxNewReturnBytes)]
[FormTooLarge<PhotoFormTooLargeMessage>]
public sealed class NewModel(IRequestSender sender, IOptions<ReturnsOptions> options) : RetailPageModel
{
    [BindProperty(SupportsGet = true)]
    [FromQuery(Name = "orderId")]
    public Guid OrderId { get; set; }

    [BindProperty]
    public ReturnForm Input { get; set; } = new();

    public ReturnEligibilityDto? Eligibility { get; private set; }

    public ReturnsOptions Limits => options.Value;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        // A quantity that did not bind (abc, 99999999999) is missing from Quantities: the return would start without that
        // line, or be refused with "Choose at least one item to return." about an item the customer did choose.
        if (!ModelState.IsValid)
        {
            ShowError(BindingError());
            return Page();
        }

        var (photos, problem) = await ReturnView.ReadPhotosAsync(Request.Form.Files, Limits.MaxPhotos, 0, Limits.MaxPhotoBytes, cancellationToken);
        if (problem is not null)
        {
            ModelState.AddModelError("Photos", problem);
            ShowError(ReturnErrors.Invalid("Photos", problem));
            return Page();
        }

        var items = Input.Quantities.Where(q => q.Value > 0).Select(q => new ReturnItemInput(q.Key, q.Value)).ToList();
        var submitted = await sender.Send(new SubmitReturnCommand(OrderId, items, Input.Reason ?? "", Input.Note, Input.PreferredOutcome ?? ""), cancellationToken);
        if (!submitted.IsSuccess)
        {
            ShowError(submitted.Error, "Input");
            return Page();
        }

        var code = submitted.Value.Code;
        var refused = new List<string>();
        foreach (var photo in photos)
        {
            var added = await sender.Send(new AddReturnPhotoCommand(code, photo), cancellationToken);
            if (!added.IsSuccess)
            {
                refused.Add(added.Error.Message);
            }
        }

        StatusMessage = refused.Count == 0
            ? $"Return {code} submitted. We emailed you a confirmation."
            : $"Return {code} submitted, but some photos were refused: {string.Join(" ", refused)}";
        return Redirect($"/returns/{code}");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(new GetReturnEligibilityQuery(OrderId), cancellationToken);
        if (!result.IsSuccess)
        {
            return false;
        }

        Eligibility = result.Value;
        return true;
    }

    public sealed class ReturnForm
    {
        /// <summary>SKU → units to return (0 = not returned).</summary>
        public Dictionary<string, int> Quantities { get; set; } = [];

        public string? Reason { get; set; }

        public string? Note { get; set; }

        public string? PreferredOutcome { get; set; } = "REFUND";
    }
}
