using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>Its own app: these tests fill the warehouse queue past one page, which would move other classes' orders to page 2.</summary>
public sealed class StaffOrdersAppFactory : RetailAppFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();

        // One customer places more than a page of orders in a few seconds.
        settings["Ordering:CheckoutRateLimit:PermitLimit"] = "100";
        return settings;
    }
}

/// <summary>
/// Staff working through page N of /staff/orders (a status filter chosen) stay there when they ship or deliver an order:
/// the move forms post to an address that carries the page and the filter, as the list's own pager links do.
/// </summary>
public sealed partial class StaffOrdersPagingTests(StaffOrdersAppFactory factory) : IClassFixture<StaffOrdersAppFactory>
{
    private const int PageSize = 20;

    [Fact]
    public async Task Shipping_and_delivering_an_order_shown_on_page_two_lands_back_on_page_two_of_the_same_filter()
    {
        using var customerApi = await factory.ApiClientAsync(Users.Customer2);
        var placed = await PlaceOrdersAsync(customerApi, PageSize + 3);
        using var warehouse = await factory.SignedInBrowserAsync(Users.Warehouse);

        var paidPage2 = await warehouse.GetStringAsync("/staff/orders?status=Paid&page=2");
        var shippedId = OrderIdsOn(paidPage2).First(placed.Contains);
        var shipped = await PostMoveFormAsync(warehouse, paidPage2, shippedId, "Ship");

        shipped.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await shipped.Content.ReadAsStringAsync()));
        shipped.RedirectTarget().PathAndQuery.ShouldBe("/staff/orders?status=Paid&page=2");
        (await StatusOfAsync(customerApi, shippedId)).ShouldBe("Shipped");

        // Put more than a page into Shipped, then deliver one from its page 2.
        foreach (var id in placed.Where(id => id != shippedId))
        {
            var move = await PostMoveFormAsync(warehouse, await warehouse.GetStringAsync("/staff/orders?status=Paid"), id, "Ship");
            move.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await move.Content.ReadAsStringAsync()));
        }

        var shippedPage2 = await warehouse.GetStringAsync("/staff/orders?status=Shipped&page=2");
        var deliveredId = OrderIdsOn(shippedPage2).First(placed.Contains);
        var delivered = await PostMoveFormAsync(warehouse, shippedPage2, deliveredId, "Deliver");

        delivered.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await delivered.Content.ReadAsStringAsync()));
        delivered.RedirectTarget().PathAndQuery.ShouldBe("/staff/orders?status=Shipped&page=2");
        (await StatusOfAsync(customerApi, deliveredId)).ShouldBe("Delivered");
    }

    [Fact]
    public async Task Shipping_the_last_order_on_the_last_page_lands_on_the_page_before_it_not_on_an_empty_one()
    {
        using var customerApi = await factory.ApiClientAsync(Users.Customer2);
        var placed = await PlaceOrdersAsync(customerApi, PageSize + 1);
        using var warehouse = await factory.SignedInBrowserAsync(Users.Warehouse);
        var last = LastPageOf(await warehouse.GetStringAsync("/staff/orders?status=Paid&page=1"));
        last.ShouldBeGreaterThan(1);

        // Empty the last page one order at a time, each from the page as it is shown then.
        HttpResponseMessage? move = null;
        string lastPage;
        while (OrderIdsOn(lastPage = await warehouse.GetStringAsync($"/staff/orders?status=Paid&page={last}")).FirstOrDefault() is var id && id != Guid.Empty)
        {
            placed.ShouldContain(id);
            move = await PostMoveFormAsync(warehouse, lastPage, id, "Ship");
            move.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await move.Content.ReadAsStringAsync()));
            if (move.RedirectTarget().PathAndQuery != $"/staff/orders?status=Paid&page={last}")
            {
                break;
            }
        }

        // The move that emptied it lands on the page before, which still lists orders and the pager, instead of an empty
        // page saying there are no Paid orders at all.
        move.ShouldNotBeNull();
        move.RedirectTarget().PathAndQuery.ShouldBe($"/staff/orders?status=Paid&page={last - 1}");
        var landed = await warehouse.GetStringAsync(move.RedirectTarget().PathAndQuery);
        OrderIdsOn(landed).ShouldNotBeEmpty();
        landed.ShouldNotContain("id=\"no-orders\"");
    }

    private async Task<List<Guid>> PlaceOrdersAsync(HttpClient customerApi, int count)
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: count + 5);
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var response = await OrderingPages.ApiCheckoutAsync(customerApi, sku);
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            ids.Add(await OrderingPages.OrderIdOfAsync(response));
        }

        return ids;
    }

    private static async Task<string?> StatusOfAsync(HttpClient customerApi, Guid id) =>
        (await customerApi.GetFromJsonAsync<JsonElement>($"/api/orders/{id}")).GetProperty("status").GetString();

    private static int LastPageOf(string html)
    {
        var pager = Regex.Match(Html.Text(html), @"Page (\d+) of (\d+)");
        pager.Success.ShouldBeTrue("the list shows a pager");
        return int.Parse(pager.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IEnumerable<Guid> OrderIdsOn(string html) =>
        OrderRow().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value));

    /// <summary>Submits the order's move form as a browser would: to the form's own action, with the page's antiforgery token.</summary>
    private static async Task<HttpResponseMessage> PostMoveFormAsync(HttpClient browser, string html, Guid id, string handler)
    {
        var row = Regex.Match(html, $"""<tr data-order-id="{id}">(.*?)</tr>""", RegexOptions.Singleline);
        row.Success.ShouldBeTrue($"order {id} is not on this page");
        var form = Regex.Match(row.Groups[1].Value, $"""<form[^>]*\baction="([^"]*handler={handler}[^"]*)"[^>]*>""");
        form.Success.ShouldBeTrue($"the row of {id} has no {handler} form: {row.Value}");
        var action = WebUtility.HtmlDecode(form.Groups[1].Value);
        action.ShouldStartWith("/staff/orders?");

        return await browser.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = id.ToString(),
            ["__RequestVerificationToken"] = Html.AntiforgeryToken(html),
        }));
    }

    [GeneratedRegex("""<tr data-order-id="([0-9a-f-]{36})">""")]
    private static partial Regex OrderRow();
}
