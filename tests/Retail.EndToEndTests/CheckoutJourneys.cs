using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Retail.EndToEndTests;

/// <summary>A customer buys something in a real browser: product → cart → checkout → order page → order history.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CheckoutJourneys(BrowserApp app, ITestOutputHelper output) : LoggedJourney(app.Log, output)
{
    /// <summary>Luhn-valid test cards of the payment simulator (docs/payments.md): 4242… pays, numbers ending 0002 decline.</summary>
    private const string PayingCard = "4242 4242 4242 4242";

    [Fact]
    public async Task Customer_adds_to_cart_checks_out_with_a_card_and_sees_the_paid_order()
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, "customer@retail.local");

        await page.GotoAsync("/catalog/product/BK-0002");
        var name = await page.Locator("h1").InnerTextAsync();
        await page.FillAsync("#Input_Quantity", "1");
        await BrowserApp.ScreenshotAsync(page, "10-product-add-to-cart");
        await page.ClickAsync("#add-to-cart button[type=submit]");
        // Web-first URL assertions (polling the page's URL), never WaitForURLAsync: that waits for the navigation's load
        // event as well, and once timed out with the order page already shown (playwright-dotnet#2897). Every journey does so.
        await Expect(page).ToHaveURLAsync(new Regex("/cart$"));
        (await page.Locator("#cart-lines").InnerTextAsync()).ShouldContain(name);
        await BrowserApp.ScreenshotAsync(page, "11-cart");

        await page.ClickAsync("#checkout-link");
        await Expect(page).ToHaveURLAsync(new Regex("/checkout$"));
        await page.FillAsync("#Input_ShippingAddress_Name", "Casey Customer");
        await page.FillAsync("#Input_ShippingAddress_Line1", "1 Main Street");
        await page.FillAsync("#Input_ShippingAddress_City", "Springfield");
        await page.FillAsync("#Input_ShippingAddress_PostalCode", "12345");
        await page.FillAsync("#Input_ShippingAddress_Country", "US");
        await page.CheckAsync("#pm-card");
        await page.FillAsync("#pd-cardNumber", PayingCard);
        await page.FillAsync("#pd-expiry", "12/30");
        (await page.Locator("#order-summary").InnerTextAsync()).ShouldContain(name);
        await BrowserApp.ScreenshotAsync(page, "12-checkout");
        await page.ClickAsync("#place-order");

        await Expect(page).ToHaveURLAsync(new Regex("/orders/[0-9a-f-]{36}$"));
        (await page.Locator("#order-status").InnerTextAsync()).ShouldBe("Paid");
        (await page.Locator(".notice.success").InnerTextAsync()).ShouldContain("Thank you");
        var number = await page.Locator("#order-number").InnerTextAsync();
        await BrowserApp.ScreenshotAsync(page, "13-order-paid");

        await page.ClickAsync("#nav-orders");
        await Expect(page).ToHaveURLAsync(new Regex("/orders$"));
        (await page.Locator("#orders").InnerTextAsync()).ShouldContain(number);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await BrowserApp.ScreenshotAsync(page, "14-my-orders");
    }
}
