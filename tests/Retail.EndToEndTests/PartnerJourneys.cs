using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Retail.EndToEndTests;

/// <summary>
/// A catalog admin onboards a partner with a portal user; the partner's staff uploads a CSV with errors in the portal and
/// reads the report: status and progress bar, errors by line and field, and the error CSV download.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PartnerJourneys(BrowserApp app, ITestOutputHelper output) : LoggedJourney(app.Log, output)
{
    [Fact]
    public async Task Partner_uploads_a_csv_with_errors_and_downloads_the_error_report()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var partnerEmail = $"staff-{suffix}@partner.example";

        var admin = await app.NewPageAsync();
        await BrowserApp.SignInAsync(admin, "catalog@retail.local");
        await admin.GotoAsync("/admin/partners");
        await admin.FillAsync("main form#create-partner #Input_Name", $"Acme {suffix}");
        await admin.FillAsync("main form#create-partner #Input_ContactEmail", "feeds@acme.example");
        await admin.ClickAsync("main form#create-partner button[type=submit]");
        await Expect(admin).ToHaveURLAsync(new Regex("/admin/partners/[0-9a-f-]{36}$"));
        await admin.FillAsync("main form#create-user #NewUser_Email", partnerEmail);
        await admin.FillAsync("main form#create-user #NewUser_DisplayName", "Acme staff");
        await admin.FillAsync("main form#create-user #NewUser_Password", BrowserApp.DemoPassword);
        await admin.ClickAsync("main form#create-user button[type=submit]");
        await admin.WaitForLoadStateAsync(LoadState.NetworkIdle);
        (await admin.Locator("#partner-users").InnerTextAsync()).ShouldContain(partnerEmail);
        await BrowserApp.ScreenshotAsync(admin, "30-admin-partner");

        var portal = await app.NewPageAsync();
        await BrowserApp.SignInAsync(portal, partnerEmail);
        await portal.GotoAsync("/partner");
        (await portal.Locator("#partner-name").InnerTextAsync()).ShouldBe($"Acme {suffix}");
        await portal.ClickAsync("#portal-upload");
        await Expect(portal).ToHaveURLAsync(new Regex("/partner/upload$"));
        var csv = "sku,name,price,currency,stock\n"
            + $"E2E-{suffix}-1,Desk lamp,19.90,USD,4\n"
            + $"E2E-{suffix}-2,,5.00,USD,1\n"
            + $"E2E-{suffix}-3,Chair,-3,USD,2\n"
            + $"E2E-{suffix}-4,<script>alert(1)</script>,4.00,USD,2\n";
        await portal.SetInputFilesAsync("main form#upload-form #Feed", new FilePayload
        {
            Name = "acme.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes(csv),
        });
        await BrowserApp.ScreenshotAsync(portal, "31-partner-upload");
        await portal.ClickAsync("main form#upload-form button[type=submit]");

        await Expect(portal).ToHaveURLAsync(new Regex("/partner/jobs/[0-9a-f-]{36}$"));
        (await portal.Locator("#job-status").InnerTextAsync()).ShouldBe("CompletedWithErrors");
        (await portal.Locator("#job-progress").GetAttributeAsync("value")).ShouldBe("100");
        (await portal.Locator("[data-count='created']").InnerTextAsync()).ShouldBe("1");
        (await portal.Locator("[data-count='rejected']").InnerTextAsync()).ShouldBe("3");
        var errors = await portal.Locator("#job-errors tbody tr").AllInnerTextsAsync();
        errors.Count.ShouldBe(3);
        errors[0].ShouldContain("3");
        errors[0].ShouldContain("name");
        errors[0].ShouldContain("required");
        errors[1].ShouldContain("price");
        errors[1].ShouldContain("negative");
        errors[2].ShouldContain("markup_not_allowed");
        (await portal.ContentAsync()).ShouldNotContain("<script>alert(1)</script>");
        await BrowserApp.ScreenshotAsync(portal, "32-partner-report");

        var download = await portal.RunAndWaitForDownloadAsync(() => portal.ClickAsync("#download-errors"));
        download.SuggestedFilename.ShouldEndWith("-errors.csv");
        var path = await download.PathAsync();
        var lines = (await File.ReadAllTextAsync(path!)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("line,field,code,message,sku");
        lines.Length.ShouldBe(4);
        lines[1].ShouldStartWith("3,\"name\",\"required\"");

        await portal.ClickAsync("#nav-partner");
        await portal.ClickAsync("#portal-jobs");
        (await portal.Locator("#job-history").InnerTextAsync()).ShouldContain("acme.csv");
        await BrowserApp.ScreenshotAsync(portal, "33-partner-job-history");
    }
}
