using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Retail.Host.Web;

/// <summary>
/// Cookie TempData that leaves the response alone when there is nothing to keep and nothing to remove. The stock provider
/// answers every page that reads TempData (the layout does) with a Set-Cookie deleting a cookie the browser does not have:
/// wasted bytes on every view, and a response with a cookie is never shared through the output cache.
/// </summary>
public sealed class QuietCookieTempDataProvider(CookieTempDataProvider cookies) : ITempDataProvider
{
    public IDictionary<string, object> LoadTempData(HttpContext context) => cookies.LoadTempData(context);

    public void SaveTempData(HttpContext context, IDictionary<string, object> values)
    {
        if (values.Count == 0 && !context.Request.Cookies.ContainsKey(WebSetup.TempDataCookieName))
        {
            return;
        }

        cookies.SaveTempData(context, values);
    }
}
