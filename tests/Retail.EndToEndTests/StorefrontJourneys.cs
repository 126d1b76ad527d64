using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Retail.EndToEndTests;

/// <summary>Journeys through the shop in a real browser, each leaving screenshots in artifacts/e2e.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StorefrontJourneys(BrowserApp app, ITestOutputHelper output) : LoggedJourney(app.Log, output)
{
    [Fact]
    public async Task Customer_registers_searches_and_opens_a_product()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/");
        (await page.Locator("h2", new() { HasText = "Featured" }).CountAsync()).ShouldBe(1);
        (await page.Locator(".product-card").CountAsync()).ShouldBe(8);
        await BrowserApp.ScreenshotAsync(page, "01-home");

        var email = $"shopper-{Guid.NewGuid():N}@example.test";
        await page.ClickAsync("text=Register");
        await page.FillAsync("#Input_DisplayName", "Sam Shopper");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", "Shopper-Passw0rd!");
        await page.FillAsync("#Input_ConfirmPassword", "Shopper-Passw0rd!");
        await page.ClickAsync("main form button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        (await page.Locator(".notice.success").InnerTextAsync()).ShouldContain("Welcome");
        (await page.Locator(".nav .user").InnerTextAsync()).ShouldBe(email);

        await page.FillAsync("header input[name=search]", "lamp");
        await page.PressAsync("header input[name=search]", "Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/catalog\\?search=lamp"));
        var cards = page.Locator(".product-card");
        (await cards.CountAsync()).ShouldBeGreaterThan(0);
        foreach (var title in await cards.Locator("h3").AllInnerTextsAsync())
        {
            title.ShouldContain("Lamp", Case.Insensitive);
        }

        await BrowserApp.ScreenshotAsync(page, "02-search-lamp");
        var firstName = await cards.First.Locator("h3").InnerTextAsync();
        await cards.First.Locator("a.card-link").ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe(firstName);
        (await page.Locator(".price.big").InnerTextAsync()).ShouldStartWith("$");
        await BrowserApp.ScreenshotAsync(page, "03-product");
    }

    [Fact]
    public async Task Catalog_admin_changes_a_price_and_the_shop_shows_it()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/admin/catalog");
        page.Url.ShouldContain("/Identity/Login");

        await page.FillAsync("#Input_Email", "catalog@retail.local");
        await page.FillAsync("#Input_Password", BrowserApp.DemoPassword);
        await page.ClickAsync("main form button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/catalog$"));
        await BrowserApp.ScreenshotAsync(page, "04-admin-catalog");

        await page.GotoAsync("/admin/catalog/edit/BK-0003");
        await page.FillAsync("#Input_Price", "12.34");
        await page.ClickAsync("main form button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/catalog$"));
        (await page.Locator(".notice.success").InnerTextAsync()).ShouldContain("BK-0003");

        await page.GotoAsync("/catalog/product/BK-0003");
        (await page.Locator(".price.big").InnerTextAsync()).ShouldBe("$12.34");

        await page.GotoAsync("/admin/catalog/stock/BK-0003");
        var before = int.Parse(await page.Locator("#current-stock").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await page.FillAsync("#Input_Delta", "7");
        await page.FillAsync("#Input_Reason", "delivery from the browser test");
        await page.ClickAsync("main form.inline-form button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        (await page.Locator("#current-stock").InnerTextAsync()).ShouldBe((before + 7).ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await page.Locator("table.table tbody tr").First.InnerTextAsync()).ShouldContain("delivery from the browser test");
        await BrowserApp.ScreenshotAsync(page, "05-stock-adjusted");
    }

    [Fact]
    public async Task Bad_admin_input_is_explained_per_field_and_a_customer_cannot_reach_admin_pages()
    {
        var admin = await app.NewPageAsync();
        await BrowserApp.SignInAsync(admin, "catalog@retail.local");
        await admin.GotoAsync("/admin/catalog/edit/OF-0002");
        await admin.FillAsync("#Input_Name", "");
        await admin.FillAsync("#Input_Price", "-3");
        await admin.ClickAsync("main form button[type=submit]");
        (await admin.Locator(".field-error").AllInnerTextsAsync()).Where(t => t.Length > 0).Count().ShouldBeGreaterThanOrEqualTo(2);
        (await admin.Locator(".notice.error code").InnerTextAsync()).Length.ShouldBe(32);
        await BrowserApp.ScreenshotAsync(admin, "06-admin-field-errors");

        var customer = await app.NewPageAsync();
        await BrowserApp.SignInAsync(customer, "customer@retail.local");
        var response = await customer.GotoAsync("/admin/catalog");
        customer.Url.ShouldContain("/Identity/AccessDenied");
        response!.Status.ShouldBe(403);
        (await customer.Locator("h1").InnerTextAsync()).ShouldBe("No access");
    }

    [Fact]
    public async Task Unknown_pages_show_a_friendly_message_with_a_reference_id()
    {
        var page = await app.NewPageAsync();
        var response = await page.GotoAsync("/catalog/product/NO-SUCH-SKU");
        response!.Status.ShouldBe(404);
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Page not found");
        (await page.Locator("#reference-id").InnerTextAsync()).ShouldMatch("^[0-9a-f]{32}$");
        (await page.ContentAsync()).ShouldNotContain("Exception");
        await BrowserApp.ScreenshotAsync(page, "07-not-found");
    }
}
