using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Retail.EndToEndTests;

/// <summary>Issue 8 customer journey: sign in → flash sale → add to cart → checkout at the flash price → order history.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FlashSaleJourneys(BrowserApp app, ITestOutputHelper output) : LoggedJourney(app.Log, output)
{
    private const string PayingCard = "4242 4242 4242 4242";

    [Fact]
    public async Task A_new_customer_buys_from_the_live_demo_flash_sale_at_the_flash_price()
    {
        var page = await app.NewPageAsync();
        // A customer of its own, so no other journey's checkouts count against its rate limits.
        var email = $"flash-{Guid.NewGuid():N}@example.test";
        await page.GotoAsync("/Identity/Register");
        await page.FillAsync("#Input_DisplayName", "Flash Buyer");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", BrowserApp.DemoPassword);
        await page.FillAsync("#Input_ConfirmPassword", BrowserApp.DemoPassword);
        await page.ClickAsync("main form button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/$"));

        await page.ClickAsync("#nav-flash");
        await Expect(page).ToHaveURLAsync(new Regex("/flash/products$"));
        var sale = page.Locator("section.flash-sale[data-state=Live]").First;
        (await sale.Locator(".countdown").InnerTextAsync()).ShouldStartWith("Ends in ");
        var product = sale.Locator("article.flash-product").First;
        var sku = await product.GetAttributeAsync("data-sku");
        var flashPrice = await product.Locator(".flash-price").InnerTextAsync();
        var regularPrice = await product.Locator("s").InnerTextAsync();
        Money(flashPrice).ShouldBeLessThan(Money(regularPrice));
        await BrowserApp.ScreenshotAsync(page, "30-flash-sales");

        await product.Locator("form button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/cart$"));
        var line = page.Locator($"#cart-lines tr[data-sku='{sku}']");
        (await line.Locator(".flash-price").InnerTextAsync()).ShouldBe(flashPrice);
        (await line.InnerTextAsync()).ShouldContain("Flash price until");
        await BrowserApp.ScreenshotAsync(page, "31-flash-cart");

        await page.ClickAsync("#checkout-link");
        await Expect(page).ToHaveURLAsync(new Regex("/checkout$"));
        await page.FillAsync("#Input_ShippingAddress_Name", "Flash Buyer");
        await page.FillAsync("#Input_ShippingAddress_Line1", "2 Sale Street");
        await page.FillAsync("#Input_ShippingAddress_City", "Springfield");
        await page.FillAsync("#Input_ShippingAddress_PostalCode", "12345");
        await page.FillAsync("#Input_ShippingAddress_Country", "US");
        await page.CheckAsync("#pm-card");
        await page.FillAsync("#pd-cardNumber", PayingCard);
        await page.FillAsync("#pd-expiry", "12/30");
        (await page.Locator("#order-summary").InnerTextAsync()).ShouldContain("Flash price");
        (await page.Locator("#checkout-total").InnerTextAsync()).ShouldBe(flashPrice);
        await BrowserApp.ScreenshotAsync(page, "32-flash-checkout");
        await page.ClickAsync("#place-order");

        await Expect(page).ToHaveURLAsync(new Regex("/orders/[0-9a-f-]{36}$"));
        (await page.Locator("#order-status").InnerTextAsync()).ShouldBe("Paid");
        var number = await page.Locator("#order-number").InnerTextAsync();
        (await page.Locator("main").InnerTextAsync()).ShouldContain(flashPrice);
        await BrowserApp.ScreenshotAsync(page, "33-flash-order-paid");

        await page.ClickAsync("#nav-orders");
        await Expect(page).ToHaveURLAsync(new Regex("/orders$"));
        (await page.Locator("#orders").InnerTextAsync()).ShouldContain(number);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await BrowserApp.ScreenshotAsync(page, "34-flash-order-history");
    }

    private static decimal Money(string text) =>
        decimal.Parse(text.Trim(), NumberStyles.Currency, CultureInfo.GetCultureInfo("en-US"));
}
