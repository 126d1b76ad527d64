using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Retail.EndToEndTests;

/// <summary>
/// Admin: the operations dashboard loads, and its cards update in place (no page reload) when an order is paid in the
/// background. The page polls its JSON feed every 5 s; the test waits on the DOM with Playwright's expect, never sleeps.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminDashboardJourneys(BrowserApp app, ITestOutputHelper output) : LoggedJourney(app.Log, output)
{
    private const string OrdersToday = "[data-bind='business.ordersToday']";
    private const string OrdersTotal = "[data-bind='business.orders']";
    private const string RequestsTimed = "[data-bind='requests.requestsSinceStart']";

    [Fact]
    public async Task Admin_sees_the_dashboard_cards_count_an_order_paid_in_the_background_without_reloading()
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, "admin@retail.local");
        await page.GotoAsync("/admin/dashboard");
        await Expect(page.Locator("h1")).ToContainTextAsync("dashboard", new() { IgnoreCase = true });
        await Expect(page.Locator("#scenarios .dash-card").First).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(page, "30-admin-dashboard");

        var ordersBefore = await ReadIntAsync(page, OrdersTotal);
        var todayBefore = await ReadIntAsync(page, OrdersToday);
        // A marker in the page's JavaScript state: a reload would wipe it.
        await page.EvaluateAsync("() => { window.__noReload = 'still-here'; }");

        // An order placed and paid by another customer, through the API, while the dashboard stays open.
        await PlacePaidOrderAsync();

        var timeout = new LocatorAssertionsToHaveTextOptions { Timeout = 20_000 };
        await Expect(page.Locator(OrdersTotal)).ToHaveTextAsync((ordersBefore + 1).ToString("N0", CultureInfo.GetCultureInfo("en-US")), timeout);
        await Expect(page.Locator(OrdersToday)).ToHaveTextAsync((todayBefore + 1).ToString("N0", CultureInfo.GetCultureInfo("en-US")), timeout);
        (await page.EvaluateAsync<string>("() => window.__noReload")).ShouldBe("still-here", "the cards changed in place; the page was not reloaded");
        (await ReadIntAsync(page, RequestsTimed)).ShouldBeGreaterThan(0);
        (await page.Locator("#dashboard-status").InnerTextAsync()).ShouldNotContain("refresh failed");
        await BrowserApp.ScreenshotAsync(page, "31-admin-dashboard-updated");
    }

    private static async Task<int> ReadIntAsync(IPage page, string selector) =>
        int.Parse((await page.Locator(selector).InnerTextAsync()).Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture);

    private async Task PlacePaidOrderAsync()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var email = $"dashboard-{Guid.NewGuid():N}@example.test";
        (await http.PostAsJsonAsync("/api/identity/register", new { email, password = BrowserApp.DemoPassword })).EnsureSuccessStatusCode();
        using var login = await http.PostAsJsonAsync("/api/identity/login", new { email, password = BrowserApp.DemoPassword });
        login.EnsureSuccessStatusCode();
        using var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("accessToken").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout") { Content = JsonContent.Create(Journeys.CheckoutBody("BK-0002")) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}

/// <summary>Request bodies and steps the journeys share.</summary>
internal static class Journeys
{
    public const string PayingCard = "4242424242424242";

    public static object CheckoutBody(string sku) => new
    {
        items = new[] { new { sku, quantity = 1 } },
        shippingAddress = new { name = "Journey Tester", line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US" },
        paymentMethod = "card",
        paymentDetails = new Dictionary<string, string> { ["cardNumber"] = PayingCard, ["expiry"] = "12/30" },
    };
}
