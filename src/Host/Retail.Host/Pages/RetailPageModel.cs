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

    public string ReferenceId => ProblemResults.ReferenceId(HttpContext);

    [Microsoft.AspNetCore.Mvc.TempData]
    public string? StatusMessage { get; set; }

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
