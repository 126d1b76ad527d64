using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Host.Web;
using Retail.Modules.Returns.Application;
using Retail.Modules.Returns.Application.Photos;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Application.Returns.Details;
using Retail.Modules.Returns.Application.Returns.Transition;

namespace Retail.Host.Pages.Returns;

/// <summary>One of the customer's returns: timeline, owner of the next step, next action; cancel before shipping, ship with tracking, add photos.</summary>
[RequestSizeLimit(ReturnPhotoForms.MaxAddPhotoBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = ReturnPhotoForms.MaxAddPhotoBytes)]
[FormTooLarge<PhotoFormTooLargeMessage>]
public sealed class DetailsModel(IRequestSender sender, IOptions<ReturnsOptions> options) : RetailPageModel
{
    public ReturnDetailDto? Return { get; private set; }

    public bool CanAct(string action) => Return?.Actions.Any(a => a.Action == action && a.Role == "customer") == true;

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) =>
        await LoadAsync(code, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostCancelAsync(string code, int version, CancellationToken cancellationToken) =>
        MoveAsync(code, "cancel", null, version, "Your return is cancelled.", cancellationToken);

    public Task<IActionResult> OnPostShipAsync(string code, string? trackingNumber, int version, CancellationToken cancellationToken) =>
        MoveAsync(code, "ship", new TransitionInputDto(TrackingNumber: trackingNumber), version, "Thanks! We will let you know when it arrives.", cancellationToken);

    public async Task<IActionResult> OnPostPhotoAsync(string code, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(code, cancellationToken))
        {
            return NotFound();
        }

        var (photos, problem) = await ReturnView.ReadPhotosAsync(Request.Form.Files, options.Value.MaxPhotos, Return!.Photos.Count, options.Value.MaxPhotoBytes, cancellationToken);
        if (problem is null && photos.Count == 0)
        {
            problem = "Choose a photo first.";
        }

        if (problem is not null)
        {
            return await ShowAsync(code, ReturnErrors.Invalid("Photos", problem), cancellationToken);
        }

        foreach (var photo in photos)
        {
            var added = await sender.Send(new AddReturnPhotoCommand(code, photo), cancellationToken);
            if (!added.IsSuccess)
            {
                return await ShowAsync(code, added.Error, cancellationToken);
            }
        }

        StatusMessage = photos.Count == 1 ? "Photo added." : $"{photos.Count} photos added.";
        return Redirect($"/returns/{Uri.EscapeDataString(code)}");
    }

    private async Task<IActionResult> MoveAsync(string code, string action, TransitionInputDto? input, int version, string done, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return await ShowAsync(code, BindingError(), cancellationToken);
        }

        var result = await sender.Send(new TransitionReturnCommand(code, action, input, version), cancellationToken);
        if (!result.IsSuccess)
        {
            return await ShowAsync(code, result.Error, cancellationToken);
        }

        StatusMessage = done;
        return Redirect($"/returns/{Uri.EscapeDataString(result.Value.Code)}");
    }

    private async Task<IActionResult> ShowAsync(string code, Error error, CancellationToken cancellationToken)
    {
        if (error.Kind == ErrorKind.NotFound || !await LoadAsync(code, cancellationToken))
        {
            return NotFound();
        }

        ShowError(error);
        return Page();
    }

    private async Task<bool> LoadAsync(string code, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new GetReturnQuery(code), cancellationToken);
        if (!result.IsSuccess || result.Value.CustomerId != User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value)
        {
            return false;
        }

        Return = result.Value;
        return true;
    }
}
