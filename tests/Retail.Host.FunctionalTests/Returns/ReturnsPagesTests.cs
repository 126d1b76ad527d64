using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Returns;

/// <summary>A factory whose SLA is zero, so every open return shows as overdue in the staff queues.</summary>
public sealed class ZeroSlaAppFactory : RetailAppFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Returns:StageSla"] = "00:00:00";
        return settings;
    }
}

/// <summary>The return pages through the real pipeline: cookies, antiforgery, multipart uploads, role-protected staff pages.</summary>
public sealed class ReturnsPagesTests(ZeroSlaAppFactory factory) : IClassFixture<ZeroSlaAppFactory>
{
    [Fact]
    public async Task A_customer_starts_a_return_with_a_photo_sees_it_listed_and_can_cancel_it()
    {
        using var api = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, api, quantity: 2);
        using var browser = factory.Browser();
        await AppClient.LoginAsync(browser, ReturnsApi.EmailOf(api), ReturnsApi.Password);

        var list = await browser.GetStringAsync("/returns");
        list.ShouldContain($"/returns/new?orderId={orderId}");
        var form = await browser.GetStringAsync($"/returns/new?orderId={orderId}");
        Html.ElementText(form, "eligibility").ShouldContain("Up to 2 can be returned.");

        var submitted = await PostMultipartAsync(browser, $"/returns/new?orderId={orderId}", form, new Dictionary<string, string>
        {
            [$"Input.Quantities[{sku}]"] = "1",
            ["Input.Reason"] = "DEFECTIVE",
            ["Input.PreferredOutcome"] = "REFUND",
        }, ("photos", "damage.jpg", ReturnsApi.Jpeg));

        submitted.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await submitted.Content.ReadAsStringAsync()));
        var detailPath = submitted.RedirectTarget().AbsolutePath;
        var code = detailPath.Split('/').Last();
        var detail = await browser.GetStringAsync(detailPath);
        Html.ElementText(detail, "return-status").ShouldBe("SUBMITTED");
        Html.ElementText(detail, "return-owner").ShouldBe("Support");
        Html.ElementText(detail, "return-timeline").ShouldContain("SUBMITTED");
        detail.ShouldContain($"/api/returns/{code}/photos/");
        (await browser.GetStringAsync("/returns")).ShouldContain($"data-return-code=\"{code}\"");

        var cancelled = await AppClient.PostFormAsync(browser, detailPath, new Dictionary<string, string> { ["version"] = "2" }, detailPath + "?handler=Cancel");
        cancelled.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await cancelled.Content.ReadAsStringAsync()));
        Html.ElementText(await browser.GetStringAsync(detailPath), "return-status").ShouldBe("CANCELLED");
    }

    [Fact]
    public async Task Upload_errors_on_the_page_are_clear_and_nothing_is_created()
    {
        using var api = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, api, quantity: 1);
        using var browser = factory.Browser();
        await AppClient.LoginAsync(browser, ReturnsApi.EmailOf(api), ReturnsApi.Password);
        var fields = new Dictionary<string, string> { [$"Input.Quantities[{sku}]"] = "1", ["Input.Reason"] = "DEFECTIVE", ["Input.PreferredOutcome"] = "REFUND" };
        var form = await browser.GetStringAsync($"/returns/new?orderId={orderId}");

        var fake = await PostMultipartAsync(browser, $"/returns/new?orderId={orderId}", form, fields, ("photos", "holiday.jpg", "MZ this is an exe"u8.ToArray()));
        fake.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        Html.Text(await fake.Content.ReadAsStringAsync()).ShouldContain("holiday.jpg: The file is not a JPEG, PNG or WebP image.");
        var six = Enumerable.Range(0, 6).Select(i => ("photos", $"p{i}.jpg", ReturnsApi.Jpeg)).ToArray();
        var tooMany = await PostMultipartAsync(browser, $"/returns/new?orderId={orderId}", form, fields, six);
        Html.Text(await tooMany.Content.ReadAsStringAsync()).ShouldContain("A return has at most 5 photos.");
        var big = new byte[(5 * 1024 * 1024) + 10];
        ReturnsApi.Jpeg.CopyTo(big, 0);
        var oversize = await PostMultipartAsync(browser, $"/returns/new?orderId={orderId}", form, fields, ("photos", "huge.jpg", big));
        Html.Text(await oversize.Content.ReadAsStringAsync()).ShouldContain("huge.jpg: a photo can be at most 5 MB.");

        Html.Text(await browser.GetStringAsync("/returns")).ShouldContain("You have no returns yet.");
    }

    [Fact]
    public async Task Adding_more_photos_than_the_return_has_room_for_adds_none_and_says_how_many_fit()
    {
        using var customer = await CustomerWithReturnAsync();
        for (var i = 0; i < 4; i++)
        {
            await ReturnsApi.OkAsync(ReturnsApi.UploadAsync(customer.Api, customer.Code, ReturnsApi.Jpeg), "photo " + i);
        }

        var detailPath = $"/returns/{customer.Code}";
        var page = await customer.Browser.GetStringAsync(detailPath);
        var two = await PostMultipartAsync(customer.Browser, detailPath + "?handler=Photo", page, new Dictionary<string, string>(), ("photos", "a.jpg", ReturnsApi.Jpeg), ("photos", "b.jpg", ReturnsApi.Jpeg));

        two.StatusCode.ShouldNotBe(HttpStatusCode.Redirect, "nothing was added");
        Html.Text(await two.Content.ReadAsStringAsync()).ShouldContain("A return has at most 5 photos; this one has room for 1 more.");
        (await ReturnsApi.DetailAsync(customer.Api, customer.Code)).GetProperty("photos").GetArrayLength().ShouldBe(4, "not one of the two was added");
        var one = await PostMultipartAsync(customer.Browser, detailPath + "?handler=Photo", page, new Dictionary<string, string>(), ("photos", "a.jpg", ReturnsApi.Jpeg));
        one.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await one.Content.ReadAsStringAsync()));
        (await ReturnsApi.DetailAsync(customer.Api, customer.Code)).GetProperty("photos").GetArrayLength().ShouldBe(5);
    }

    [Fact]
    public async Task An_upload_over_the_pages_form_limit_is_a_413_saying_the_photo_limit_with_a_reference_and_nothing_is_created()
    {
        using var api = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, api, quantity: 1);
        using var browser = factory.Browser();
        await AppClient.LoginAsync(browser, ReturnsApi.EmailOf(api), ReturnsApi.Password);
        var fields = new Dictionary<string, string> { [$"Input.Quantities[{sku}]"] = "1", ["Input.Reason"] = "DEFECTIVE", ["Input.PreferredOutcome"] = "REFUND" };
        var form = await browser.GetStringAsync($"/returns/new?orderId={orderId}");
        var huge = new byte[Retail.Host.Pages.Returns.ReturnPhotoForms.MaxNewReturnBytes + 1];
        ReturnsApi.Jpeg.CopyTo(huge, 0);

        var refused = await PostMultipartAsync(browser, $"/returns/new?orderId={orderId}", form, fields, ("photos", "huge.jpg", huge));

        refused.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, "not the generic 400 of an antiforgery check that could not read the form");
        var html = await refused.Content.ReadAsStringAsync();
        Html.Text(html).ShouldContain("Photos can be at most 5 MB each");
        Html.ShouldBeFriendlyErrorPage(html);
        Html.Text(await browser.GetStringAsync("/returns")).ShouldContain("You have no returns yet.");
    }

    [Fact]
    public async Task A_forged_post_without_the_token_is_refused_and_changes_nothing()
    {
        using var customer = await CustomerWithReturnAsync();
        var (api, browser, code) = customer;

        var forged = await AppClient.PostFormWithoutTokenAsync(browser, $"/returns/{code}?handler=Cancel", new Dictionary<string, string> { ["version"] = "1" });

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ReturnsApi.DetailAsync(api, code)).GetProperty("status").GetString().ShouldBe("SUBMITTED");
    }

    [Fact]
    public async Task Staff_queues_show_counts_and_overdue_and_actions_come_from_the_table()
    {
        using var customer = await CustomerWithReturnAsync();
        var (_, customerBrowser, code) = customer;
        (await customerBrowser.GetAsync("/staff/returns")).StatusCode.ShouldBeOneOf(HttpStatusCode.Redirect, HttpStatusCode.Forbidden);
        (await customerBrowser.GetAsync($"/staff/returns/{code}")).StatusCode.ShouldBeOneOf(HttpStatusCode.Redirect, HttpStatusCode.Forbidden);

        using var support = await factory.SignedInBrowserAsync(Users.Support);
        var queue = await support.GetStringAsync($"/staff/returns?team=support&search={code}");
        Regex.IsMatch(queue, $"""<tr data-return-code="{code}" class="overdue">""").ShouldBeTrue("SLA 0: the row is highlighted overdue");
        Html.ElementText(queue, "stage-counts").ShouldMatch(@"SUBMITTED : [1-9]\d* [1-9]\d* overdue VALIDATING : \d+ INSPECTED : \d+");
        var page = await support.GetStringAsync($"/staff/returns/{code}");
        page.ShouldContain("data-action=\"approve\"");
        page.ShouldContain("data-action=\"reject\"");
        page.ShouldNotContain("data-action=\"receive\"");

        var illegal = await AppClient.PostFormAsync(support, $"/staff/returns/{code}", new Dictionary<string, string> { ["action"] = "receive", ["version"] = "1" }, $"/staff/returns/{code}?handler=Act");
        illegal.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        Html.Text(await illegal.Content.ReadAsStringAsync()).ShouldContain("A return that is SUBMITTED cannot be received");
        var stale = await AppClient.PostFormAsync(support, $"/staff/returns/{code}", new Dictionary<string, string> { ["action"] = "approve", ["version"] = "0" }, $"/staff/returns/{code}?handler=Act");
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        Html.Text(await stale.Content.ReadAsStringAsync()).ShouldContain("Please reload it");
        var approved = await AppClient.PostFormAsync(support, $"/staff/returns/{code}", new Dictionary<string, string> { ["action"] = "approve", ["version"] = "1" }, $"/staff/returns/{code}?handler=Act");
        approved.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await approved.Content.ReadAsStringAsync()));
        var after = await support.GetStringAsync($"/staff/returns/{code}");
        Html.ElementText(after, "return-status").ShouldBe("APPROVED");
        Html.ElementText(after, "audit").ShouldContain("support@retail.local");
    }

    [Fact]
    public async Task The_warehouse_records_a_short_delivery_on_the_page_and_both_pages_show_what_arrived()
    {
        using var api = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, api, quantity: 2, price: 25m);
        var code = await ReturnsApi.SubmitCodeAsync(api, orderId, sku, 2);
        using var supportApi = await factory.ApiClientAsync(Users.Support);
        using var warehouseApi = await factory.ApiClientAsync(Users.Warehouse);
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(supportApi, code, "approve"), "approve");
        await ReturnsApi.OkAsync(api.PostAsJsonAsync($"/api/returns/{code}/ship", new { trackingNumber = "1Z999AA10123456784" }), "ship");
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(warehouseApi, code, "receive"), "receive");
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(warehouseApi, code, "start-inspection"), "start inspection");
        var detail = await ReturnsApi.DetailAsync(api, code);
        var lineId = detail.GetProperty("lines")[0].GetProperty("id").GetString()!;
        var version = detail.GetProperty("version").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var warehouse = await factory.SignedInBrowserAsync(Users.Warehouse);
        var form = await warehouse.GetStringAsync($"/staff/returns/{code}");
        form.ShouldContain($"name=\"form.Received[0].Quantity\" value=\"2\"");

        var inspected = await AppClient.PostFormAsync(warehouse, $"/staff/returns/{code}", new Dictionary<string, string>
        {
            ["action"] = "inspect",
            ["version"] = version,
            ["form.Grade"] = "USED",
            ["form.Mismatch"] = "SHORT",
            ["form.Received[0].LineId"] = lineId,
            ["form.Received[0].Quantity"] = "1",
        }, $"/staff/returns/{code}?handler=Act");

        inspected.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await inspected.Content.ReadAsStringAsync()));
        Html.ElementText(await warehouse.GetStringAsync($"/staff/returns/{code}"), "audit").ShouldContain($"received 1 of 2 {sku}");
        using var browser = factory.Browser();
        await AppClient.LoginAsync(browser, ReturnsApi.EmailOf(api), ReturnsApi.Password);
        Html.ElementText(await browser.GetStringAsync($"/returns/{code}"), "return-lines").ShouldContain("1 of 2 received");
    }

    [Fact]
    public async Task A_page_number_past_the_cap_is_refused_instead_of_showing_the_first_returns_again()
    {
        using var customer = await CustomerWithReturnAsync();
        var (_, browser, code) = customer;
        using var support = await factory.SignedInBrowserAsync(Users.Support);

        // (page - 1) * 20 overflows int to a negative offset, which SQLite reads as 0.
        var mine = await browser.GetAsync("/returns?page=2147483647");
        var queue = await support.GetAsync($"/staff/returns?team=support&search={code}&page=2147483647");

        foreach (var response in new[] { mine, queue })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            var html = await response.Content.ReadAsStringAsync();
            html.ShouldNotContain($"data-return-code=\"{code}\"");
            Html.Text(html).ShouldContain("Reference:");
        }
    }

    [Fact]
    public async Task A_version_that_is_not_a_number_is_a_400_with_the_field_named_and_nothing_changes()
    {
        using var customer = await CustomerWithReturnAsync();
        var (api, browser, code) = customer;
        using var support = await factory.SignedInBrowserAsync(Users.Support);

        var cancel = await AppClient.PostFormAsync(browser, $"/returns/{code}", new Dictionary<string, string> { ["version"] = "abc" }, $"/returns/{code}?handler=Cancel");
        var approve = await AppClient.PostFormAsync(support, $"/staff/returns/{code}", new Dictionary<string, string> { ["action"] = "approve", ["version"] = "abc" }, $"/staff/returns/{code}?handler=Act");

        foreach (var response in new[] { cancel, approve })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "not the 409 of a stale version: nobody changed the return");
            var text = Html.Text(await response.Content.ReadAsStringAsync());
            text.ShouldContain("not valid");
            text.ShouldContain("Reference:");
        }

        (await ReturnsApi.DetailAsync(api, code)).GetProperty("status").GetString().ShouldBe("SUBMITTED");
    }

    [Theory]
    [InlineData("99999999999")]
    [InlineData("abc")]
    public async Task A_quantity_that_does_not_bind_is_a_400_naming_it_and_no_return_starts(string quantity)
    {
        using var api = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, api, quantity: 1);
        using var browser = factory.Browser();
        await AppClient.LoginAsync(browser, ReturnsApi.EmailOf(api), ReturnsApi.Password);
        var form = await browser.GetStringAsync($"/returns/new?orderId={orderId}");

        var submitted = await PostMultipartAsync(browser, $"/returns/new?orderId={orderId}", form, new Dictionary<string, string>
        {
            [$"Input.Quantities[{sku}]"] = quantity,
            ["Input.Reason"] = "DEFECTIVE",
            ["Input.PreferredOutcome"] = "REFUND",
        });

        submitted.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = Html.Text(await submitted.Content.ReadAsStringAsync());
        // Not "Choose at least one item to return.": the customer chose one; what they typed did not read as a number.
        text.ShouldContain($"The value '{quantity}' is not valid");
        text.ShouldNotContain("Choose at least one item");
        text.ShouldContain("Reference:");
        Html.Text(await browser.GetStringAsync("/returns")).ShouldContain("You have no returns yet.");
    }

    private static async Task<HttpResponseMessage> PostMultipartAsync(HttpClient client, string url, string pageHtml, IDictionary<string, string> fields, params (string Name, string FileName, byte[] Content)[] files)
    {
        using var content = new MultipartFormDataContent();
        content.Add(new StringContent(Html.AntiforgeryToken(pageHtml)), "__RequestVerificationToken");
        foreach (var (key, value) in fields)
        {
            content.Add(new StringContent(value), key);
        }

        foreach (var (name, fileName, bytes) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            content.Add(file, name, fileName);
        }

        return await client.PostAsync(url, content);
    }

    /// <summary>A new customer with a delivered order and a return submitted for it, and a browser signed in as them.</summary>
    private async Task<CustomerWithReturn> CustomerWithReturnAsync()
    {
        var api = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, api, quantity: 1);
        var code = await ReturnsApi.SubmitCodeAsync(api, orderId, sku, 1);
        var browser = factory.Browser();
        await AppClient.LoginAsync(browser, ReturnsApi.EmailOf(api), ReturnsApi.Password);
        return new CustomerWithReturn(api, browser, code);
    }

    private sealed record CustomerWithReturn(HttpClient Api, HttpClient Browser, string Code) : IDisposable
    {
        public void Dispose()
        {
            Api.Dispose();
            Browser.Dispose();
        }
    }
}
