using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Xunit.Abstractions;

namespace Retail.EndToEndTests;

/// <summary>
/// A return in a real browser, through every team: the customer buys and gets the order delivered (the app's own pages),
/// files a return with a photo → support approves → the customer ships → the warehouse receives and inspects → support
/// decides → finance refunds → the customer sees COMPLETED and the refund.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReturnJourneys(BrowserApp app, ITestOutputHelper output) : LoggedJourney(app.Log, output)
{
    private const string Customer = "customer2@retail.local";

    /// <summary>A 1×1 JPEG with an EXIF segment the upload strips.</summary>
    private static readonly byte[] Photo =
    [
        0xFF, 0xD8,
        0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xE1, 0x00, 0x0A, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x47, 0x50,
        0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34,
        0xFF, 0xD9,
    ];

    [Fact]
    public async Task Customer_returns_an_item_with_a_photo_and_every_team_takes_it_to_a_refund()
    {
        var customer = await app.NewPageAsync();
        await BrowserApp.SignInAsync(customer, Customer);
        var (orderId, orderNumber) = await BuyAsync(customer);
        await DeliverAsync(orderNumber);

        // Start the return from the delivered order (Returns hears of the delivery through the outbox, a moment later).
        await WaitForAsync(async () =>
        {
            await customer.GotoAsync("/returns");
            return await customer.Locator($"#returnable-orders tr[data-order-id='{orderId}'] a").CountAsync() > 0;
        }, "the delivered order to be offered for a return");
        await BrowserApp.ScreenshotAsync(customer, "40-returns-start");
        await customer.ClickAsync($"#returnable-orders tr[data-order-id='{orderId}'] a");
        await Expect(customer).ToHaveURLAsync(new Regex("/returns/new"));
        (await customer.Locator("#eligibility").InnerTextAsync()).ShouldContain("Up to 1 can be returned.");
        await customer.Locator("main form input[type=number]").First.FillAsync("1");
        await customer.SelectOptionAsync("main form #reason", "DEFECTIVE");
        await customer.SelectOptionAsync("main form #preferred", "REFUND");
        await customer.SetInputFilesAsync("main form #photos", new FilePayload { Name = "broken.jpg", MimeType = "image/jpeg", Buffer = Photo });
        await BrowserApp.ScreenshotAsync(customer, "41-return-form");
        await customer.ClickAsync("main form #submit-return");
        await Expect(customer).ToHaveURLAsync(new Regex("/returns/RMA-[A-Z0-9]{5}$"));
        var code = await customer.Locator("#return-code").InnerTextAsync();
        (await customer.Locator("#return-status").InnerTextAsync()).ShouldBe("SUBMITTED");
        (await customer.Locator("#return-photos img").CountAsync()).ShouldBe(1);
        await BrowserApp.ScreenshotAsync(customer, "42-return-submitted");

        await StaffActAsync("support@retail.local", code, "approve");

        await customer.GotoAsync($"/returns/{code}");
        (await customer.Locator("#next-action").InnerTextAsync()).ShouldContain("enter the tracking number");
        await customer.FillAsync("main form #trackingNumber", "1Z999AA10123456784");
        await customer.ClickAsync("main form #ship-button");
        // The form posts back to the page it is on: a URL wait would match before the click and race the new navigation.
        await Expect(customer.Locator("#return-status")).ToHaveTextAsync("SHIPPING");

        await StaffActAsync("warehouse@retail.local", code, "receive");
        await StaffActAsync("warehouse@retail.local", code, "start-inspection");
        await StaffActAsync("warehouse@retail.local", code, "inspect", async page =>
        {
            await page.SelectOptionAsync("main form[data-action='inspect'] select[name='form.Grade']", "NEW");
            await page.FillAsync("main form[data-action='inspect'] textarea[name='form.Notes']", "Unopened box");
        });
        await StaffActAsync("support@retail.local", code, "decide");
        var finance = await StaffActAsync("finance@retail.local", code, "process");
        (await finance.Locator("#return-status").InnerTextAsync()).ShouldBe("COMPLETED");
        await BrowserApp.ScreenshotAsync(finance, "45-finance-completed");

        await customer.GotoAsync($"/returns/{code}");
        (await customer.Locator("#return-status").InnerTextAsync()).ShouldBe("COMPLETED");
        (await customer.Locator("#refund-done").InnerTextAsync()).ShouldContain("Refunded");
        (await customer.Locator("#return-timeline").InnerTextAsync()).ShouldContain("COMPLETED");
        await BrowserApp.ScreenshotAsync(customer, "46-return-completed");
        await customer.GotoAsync("/returns");
        (await customer.Locator($"#my-returns tr[data-return-code='{code}']").InnerTextAsync()).ShouldContain("COMPLETED");
    }

    private static async Task<(string OrderId, string Number)> BuyAsync(IPage page)
    {
        await page.GotoAsync("/catalog/product/BK-0002");
        await page.FillAsync("#Input_Quantity", "1");
        await page.ClickAsync("#add-to-cart button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/cart$"));
        await page.ClickAsync("#checkout-link");
        await Expect(page).ToHaveURLAsync(new Regex("/checkout$"));
        await page.FillAsync("#Input_ShippingAddress_Name", "Casey Customer");
        await page.FillAsync("#Input_ShippingAddress_Line1", "2 Side Street");
        await page.FillAsync("#Input_ShippingAddress_City", "Springfield");
        await page.FillAsync("#Input_ShippingAddress_PostalCode", "12345");
        await page.FillAsync("#Input_ShippingAddress_Country", "US");
        await page.CheckAsync("#pm-card");
        await page.FillAsync("#pd-cardNumber", "4242 4242 4242 4242");
        await page.FillAsync("#pd-expiry", "12/30");
        await page.ClickAsync("#place-order");
        await Expect(page).ToHaveURLAsync(new Regex("/orders/[0-9a-f-]{36}$"));
        (await page.Locator("#order-status").InnerTextAsync()).ShouldBe("Paid");
        return (page.Url.Split('/').Last(), await page.Locator("#order-number").InnerTextAsync());
    }

    /// <summary>The warehouse ships and delivers the order on the staff orders page.</summary>
    private async Task DeliverAsync(string orderNumber)
    {
        var warehouse = await app.NewPageAsync();
        await BrowserApp.SignInAsync(warehouse, "warehouse@retail.local");
        await warehouse.GotoAsync("/staff/orders?status=Paid");
        await warehouse.Locator("#staff-orders tr", new() { HasText = orderNumber }).Locator("form[action*='handler=Ship'] button").ClickAsync();
        await warehouse.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await warehouse.GotoAsync("/staff/orders?status=Shipped");
        await warehouse.Locator("#staff-orders tr", new() { HasText = orderNumber }).Locator("form[action*='handler=Deliver'] button").ClickAsync();
        await warehouse.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await warehouse.Context.CloseAsync();
    }

    /// <summary>Signs a staff member in, opens the return from their queue page and presses the action's button.</summary>
    private async Task<IPage> StaffActAsync(string email, string code, string action, Func<IPage, Task>? fill = null)
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, email);
        await page.GotoAsync($"/staff/returns/{code}");
        var before = await page.Locator("#return-status").InnerTextAsync();
        if (fill is not null)
        {
            await fill(page);
        }

        await page.ClickAsync($"main form[data-action='{action}'] button[type=submit]");
        // The form posts back to the page it is on, so a URL wait matched before the click and raced the new navigation;
        // the status message is only on the page the post redirects to.
        await Expect(page.Locator("#status-message")).ToContainTextAsync(before + " →");
        await BrowserApp.ScreenshotAsync(page, $"43-staff-{action}");
        return page;
    }

    /// <summary>Polls until true; each probe is a page load, which paces the loop (no fixed sleeps).</summary>
    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }
        }
    }
}
