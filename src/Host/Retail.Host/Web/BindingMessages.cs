using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace Retail.Host.Web;

/// <summary>
/// How the pages word a value that does not bind (<c>/orders?page=abc</c>), for every page at once: the value is named
/// by the name the address uses, and a long value is cut short.
/// </summary>
internal static class BindingMessages
{
    /// <summary>Longest part of a refused value a message repeats; a forged query string can be kilobytes long.</summary>
    private const int MaxShownValueLength = 40;

    public static void Configure(MvcOptions options)
    {
        options.ModelMetadataDetailsProviders.Add(new BoundNameAsDisplayName());
        var messages = options.ModelBindingMessageProvider;
        messages.SetAttemptedValueIsInvalidAccessor((value, name) => $"The value '{Shorten(value)}' is not valid for {name}.");
        messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"The value '{Shorten(value)}' is not valid.");
        messages.SetValueIsInvalidAccessor(value => $"The value '{Shorten(value)}' is invalid.");
    }

    private static string Shorten(string? value) =>
        value is null || value.Length <= MaxShownValueLength ? value ?? "" : value[..MaxShownValueLength] + "…";

    /// <summary>
    /// A page property bound under another name (<c>[BindProperty(Name = "page")] PageNumber</c>) or a handler parameter is
    /// shown by the name in the address: the binding error said "…not valid for PageNumber." (the C# property), or for a
    /// parameter named nothing at all. A <c>[Display]</c>/<c>[DisplayName]</c> still wins, and other properties keep
    /// their names, which the forms' labels show.
    /// </summary>
    private sealed class BoundNameAsDisplayName : IDisplayMetadataProvider
    {
        public void CreateDisplayMetadata(DisplayMetadataProviderContext context)
        {
            var key = context.Key;
            if (context.DisplayMetadata.DisplayName is not null
                || context.Attributes.Any(a => a is DisplayAttribute or DisplayNameAttribute)
                || key.MetadataKind == ModelMetadataKind.Type)
            {
                return;
            }

            var boundName = context.Attributes.OfType<IModelNameProvider>().Select(a => a.Name).FirstOrDefault(n => !string.IsNullOrEmpty(n));
            var shown = key.MetadataKind == ModelMetadataKind.Parameter
                ? boundName ?? key.ParameterInfo?.Name
                : boundName is not null && boundName != key.Name ? boundName : null;
            if (shown is not null)
            {
                context.DisplayMetadata.DisplayName = () => shown;
            }
        }
    }
}
