using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Host.FunctionalTests.Partners;

namespace Retail.Host.FunctionalTests;

/// <summary>
/// The paged lists of the ordering, returns and partner pages with page numbers they cannot use: 400, the message and the
/// reference id, and no list (they used to show page one as if it had been asked for).
/// </summary>
public sealed class PageNumberTests(PartnersAppFactory factory) : IClassFixture<PartnersAppFactory>
{
    public static TheoryData<string, string> RefusedPages => new()
    {
        // A page number that does not bind: the message names the value and the parameter as the address has it, not
        // the page's C# property ("…not valid for PageNumber.").
        { "abc", "The value 'abc' is not valid for page." },
        { "99999999999", "The value '99999999999' is not valid for page." },
        // One that binds but is out of range: the query's validation error.
        { "0", "One or more fields are not valid." },
        { "-1", "One or more fields are not valid." },
        { "100001", "One or more fields are not valid." },
    };

    [Theory]
    [MemberData(nameof(RefusedPages))]
    public async Task The_order_lists_refuse_a_page_they_cannot_show(string page, string message)
    {
        using var customer = await factory.SignedInBrowserAsync(Users.Customer);
        using var warehouse = await factory.SignedInBrowserAsync(Users.Warehouse);

        await ShouldRefuseAsync(await customer.GetAsync($"/orders?page={page}"), message, "orders", "no-orders");
        await ShouldRefuseAsync(await warehouse.GetAsync($"/staff/orders?status=Paid&page={page}"), message, "staff-orders", "no-orders");
    }

    [Theory]
    [MemberData(nameof(RefusedPages))]
    public async Task The_return_lists_refuse_a_page_they_cannot_show(string page, string message)
    {
        using var customer = await factory.SignedInBrowserAsync(Users.Customer);
        using var support = await factory.SignedInBrowserAsync(Users.Support);

        await ShouldRefuseAsync(await customer.GetAsync($"/returns?page={page}"), message, "my-returns", "no-returns");
        await ShouldRefuseAsync(await support.GetAsync($"/staff/returns?team=support&page={page}"), message, "stage-counts");
    }

    [Theory]
    [MemberData(nameof(RefusedPages))]
    public async Task The_partner_lists_refuse_a_page_they_cannot_show(string page, string message)
    {
        var partner = await factory.CreatePartnerAsync();
        using var api = factory.PartnerClient(partner.LiveKey);
        var job = (await (await api.PostFeedAsync(PartnerSetup.CsvFeed("PN" + Guid.NewGuid().ToString("N")[..6], 1), "feed.csv")).Content.ReadFromJsonAsync<FeedJobJson>())!;
        using var portal = await FeedScheduleTests.PortalUserAsync(factory, partner);
        using var admin = await factory.SignedInBrowserAsync(Users.Catalog);

        await ShouldRefuseAsync(await portal.GetAsync($"/partner/jobs?page={page}"), message, "job-history");
        await ShouldRefuseAsync(await portal.GetAsync($"/partner/jobs/{job.Id}?page={page}"), message, "feed-job");
        await ShouldRefuseAsync(await admin.GetAsync($"/admin/partners/audit?page={page}"), message, "auth-audit");
    }

    [Fact]
    public async Task A_staff_order_move_posted_with_a_bad_page_is_refused_or_lands_on_a_page_the_list_shows()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        using var customerApi = await factory.ApiClientAsync(Users.Customer2);
        var placed = await OrderingPages.ApiCheckoutAsync(customerApi, await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5));
        placed.StatusCode.ShouldBe(HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());
        var id = await OrderingPages.OrderIdOfAsync(placed);
        using var warehouse = await factory.SignedInBrowserAsync(Users.Warehouse);
        var ship = new Dictionary<string, string> { ["id"] = id.ToString() };

        var unbound = await AppClient.PostFormAsync(warehouse, "/staff/orders?status=Paid", ship, postTo: "/staff/orders?handler=Ship&status=Paid&page=abc");
        await ShouldRefuseAsync(unbound, "The value 'abc' is not valid for page.", "staff-orders", "no-orders");
        (await customerApi.GetFromJsonAsync<JsonElement>($"/api/orders/{id}")).GetProperty("status").GetString().ShouldBe("Paid", "a refused post moves nothing");

        // The page is not part of the move: the order ships, and the list it lands on is one it can show, not a 400.
        var shipped = await AppClient.PostFormAsync(warehouse, "/staff/orders?status=Paid", ship, postTo: "/staff/orders?handler=Ship&status=Paid&page=100001");
        shipped.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await shipped.Content.ReadAsStringAsync()));
        shipped.RedirectTarget().PathAndQuery.ShouldBe("/staff/orders?status=Paid&page=1");
        (await customerApi.GetFromJsonAsync<JsonElement>($"/api/orders/{id}")).GetProperty("status").GetString().ShouldBe("Shipped");
    }

    [Fact]
    public async Task A_long_page_value_is_shortened_in_the_message()
    {
        using var customer = await factory.SignedInBrowserAsync(Users.Customer);
        var junk = new string('9', 3000);

        var response = await customer.GetAsync($"/orders?page={junk}");

        // The whole value came back in the page (and in every error a forged query string chose to fill it with).
        await ShouldRefuseAsync(response, "is not valid for page.", "orders", "no-orders");
        Html.Text(await response.Content.ReadAsStringAsync()).ShouldNotContain(junk[..200]);
    }

    [Fact]
    public async Task The_lists_still_show_a_good_page_without_an_error()
    {
        using var customer = await factory.SignedInBrowserAsync(Users.Customer);
        using var support = await factory.SignedInBrowserAsync(Users.Support);

        foreach (var response in new[] { await customer.GetAsync("/orders?page=1"), await customer.GetAsync("/returns?page=1"), await support.GetAsync("/staff/returns?page=1") })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            Html.Text(await response.Content.ReadAsStringAsync()).ShouldNotContain("Reference:");
        }
    }

    /// <summary>A 400 with the message and a reference id, and none of the elements that show the list.</summary>
    private static async Task ShouldRefuseAsync(HttpResponseMessage response, string message, params string[] listIds)
    {
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{response.RequestMessage!.RequestUri}: {Html.Text(html)}");
        Html.ShouldNotLeakExceptionDetails(html);
        var text = Html.Text(html);
        text.ShouldContain(message);
        text.ShouldNotContain("PageNumber", customMessage: "a user knows the parameter as page, not as the page's property");
        text.ShouldContain("Reference:");
        foreach (var id in listIds)
        {
            html.ShouldNotContain($"id=\"{id}\"", customMessage: $"{response.RequestMessage.RequestUri} shows no list for a page that was not asked for");
        }
    }
}
