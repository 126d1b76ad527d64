using System.Net;
using System.Text.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Returns;

/// <summary>
/// The staff returns queue's search is held to the catalog search's rule: at most 100 characters and no control
/// characters (a NUL ends an SQLite pattern, so a search holding one is not a search for what was typed).
/// </summary>
public sealed class StaffReturnsQueueSearchTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    public static TheoryData<string> RefusedSearches => new()
    {
        "%00",
        "%00abc",
        "RMA%01",
        new string('A', 101),
    };

    [Theory]
    [MemberData(nameof(RefusedSearches))]
    public async Task The_queue_api_answers_a_400_validation_problem_naming_the_search(string search)
    {
        using var support = await factory.ApiClientAsync(Users.Support);

        var response = await support.GetAsync($"/api/staff/returns?team=support&search={search}");

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.RootElement.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        problem.RootElement.GetProperty("errors").TryGetProperty("Search", out _).ShouldBeTrue(body);
    }

    [Theory]
    [MemberData(nameof(RefusedSearches))]
    public async Task The_queue_page_shows_a_400_with_the_reference_and_no_queue(string search)
    {
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer, quantity: 1);
        var code = await ReturnsApi.SubmitCodeAsync(customer, orderId, sku, 1);
        using var support = await factory.SignedInBrowserAsync(Users.Support);

        var response = await support.GetAsync($"/staff/returns?team=support&search={search}");

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, Html.Text(html));
        Html.ShouldNotLeakExceptionDetails(html);
        var text = Html.Text(html);
        text.ShouldContain("Reference:");
        text.ShouldContain("Search");
        html.ShouldNotContain($"data-return-code=\"{code}\"");
        html.ShouldNotContain("id=\"returns-queue\"");
    }

    [Fact]
    public async Task A_search_of_100_plain_characters_is_still_a_search()
    {
        using var support = await factory.ApiClientAsync(Users.Support);

        var response = await support.GetAsync($"/api/staff/returns?team=support&search={new string('A', 100)}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using var queue = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        queue.RootElement.GetProperty("items").GetProperty("totalCount").GetInt32().ShouldBe(0);
    }
}
