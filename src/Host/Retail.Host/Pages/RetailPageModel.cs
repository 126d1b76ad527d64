using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Infrastructure.Web;

namespace Retail.Host.Pages;

/// <summary>
/// Base of every page: maps a failed Result to the page (field errors into ModelState, anything else into a friendly
/// message with the reference id). Pages never touch a DbContext; they send commands and queries.
/// </summary>
public abstract class RetailPageModel : PageModel
{
    /// <summary>A message for the top of the page, with the reference id that matches the log entry.</summary>
    public string? ErrorMessage { get; private set; }

    /// <summary>
    /// The field messages of the shown error that no field of the page shows (<see cref="ShowError"/> without a field
    /// prefix): a refused page number only said "One or more fields are not valid." without saying which value or why.
    /// </summary>
    public IReadOnlyList<string> ErrorDetails { get; private set; } = [];

    public string ReferenceId => ProblemResults.ReferenceId(HttpContext);

    [Microsoft.AspNetCore.Mvc.TempData]
    public string? StatusMessage { get; set; }

    /// <summary>
    /// A checkbox posted with a value that is not a boolean (a scanner, a forged form: <c>Input.RememberMe=2873</c>) is a
    /// binding error, but re-rendering the page made the checkbox tag helper convert that raw value again and throw: a
    /// 500 instead of the form with its error. The error stays in ModelState; only the raw value is dropped, so the field
    /// renders from the model (unchecked).
    /// </summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var badBooleans = ModelState
            .Where(e => e.Value is { ValidationState: ModelValidationState.Invalid, RawValue: not null } && IsBooleanProperty(e.Key))
            .Select(e => e.Key)
            .ToList();
        foreach (var key in badBooleans)
        {
            ModelState.SetModelValue(key, rawValue: null, attemptedValue: null);
        }

        base.OnPageHandlerExecuting(context);
    }

    /// <summary>Whether a model-state key such as <c>Input.RememberMe</c> or <c>Input.Items[0].Flag</c> names a bool of this page.</summary>
    private bool IsBooleanProperty(string key)
    {
        ModelMetadata? metadata = MetadataProvider.GetMetadataForType(GetType());
        foreach (var segment in key.Split('.'))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            metadata = metadata?.Properties[bracket < 0 ? segment : segment[..bracket]];
            if (bracket >= 0)
            {
                metadata = metadata?.ElementMetadata;
            }

            if (metadata is null)
            {
                return false;
            }
        }

        return metadata?.UnderlyingOrModelType == typeof(bool);
    }

    /// <summary>
    /// Fields that did not bind (a scanner, a forged form: <c>version=abc</c>) as a 400 naming the first bad value; the
    /// handler would otherwise run with the default (version 0) and answer a misleading "changed by someone else" 409.
    /// </summary>
    protected Error BindingError() =>
        Error.Validation(new Dictionary<string, string[]>()) with
        {
            Message = ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage).FirstOrDefault(m => !string.IsNullOrEmpty(m))
                ?? "One or more fields are not valid.",
        };

    /// <param name="fieldPrefix">Prefix of the bound input model (e.g. "Input"), so errors land beside the right field.</param>
    protected void ShowError(Error error, string? fieldPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var (field, messages) in error.FieldErrors)
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError(string.IsNullOrEmpty(fieldPrefix) ? field : $"{fieldPrefix}.{field}", message);
            }
        }

        ErrorMessage = error.Message;
        ErrorDetails = string.IsNullOrEmpty(fieldPrefix)
            ? [.. error.FieldErrors.Values.SelectMany(m => m).Where(m => m != error.Message).Distinct()]
            : [];

        if (error.Kind == ErrorKind.RateLimited && error.RetryAfter is { } retry)
        {
            ErrorMessage = UserMessages.RateLimitedWithSeconds(retry);
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Response.StatusCode = error.Kind switch
        {
            ErrorKind.Validation => StatusCodes.Status400BadRequest,
            _ => ProblemResults.StatusCodeOf(error.Kind),
        };
    }
}
