namespace Retail.Host.Pages.Identity;

public sealed class AccessDeniedModel : RetailPageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
