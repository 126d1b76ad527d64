using Microsoft.Extensions.Options;
using Retail.Host.Web;
using Retail.Modules.Returns.Application;

namespace Retail.Host.Pages.Returns;

/// <summary>Body limits of the return pages that take photos: room for the photos the options allow plus the form around them.</summary>
public static class ReturnPhotoForms
{
    /// <summary>Start page: up to five photos of 5 MB and the form.</summary>
    public const int MaxNewReturnBytes = 40 * 1024 * 1024;

    /// <summary>Details page: add a photo.</summary>
    public const int MaxAddPhotoBytes = 10 * 1024 * 1024;
}

/// <summary>
/// What a photo form over its page's body limit is told (<see cref="FormTooLargeAttribute{TMessage}"/>): how big photos may
/// be and how many, so the customer chooses smaller ones instead of trying the same upload again.
/// </summary>
internal sealed class PhotoFormTooLargeMessage(IOptions<ReturnsOptions> options) : IFormTooLargeMessage
{
    public string Text =>
        $"The upload is too large. Photos can be at most {options.Value.MaxPhotoBytes / (1024 * 1024)} MB each, and a return has at most {options.Value.MaxPhotos}. Choose smaller photos and try again.";
}
