using System.Net;
using System.Net.Http.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>The back-office catalog list and stock history pages with page numbers they cannot use: 400, the message and the reference id.</summary>
public sealed class AdminCatalogPageQueryTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Theory]
    [InlineData("abc")]
    [InlineData("99999999999")]
    public async Task The_catalog_list_answers_a_page_number_that_does_not_bind_with_400_naming_it(string page)
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        var response = await browser.GetAsync($"/admin/catalog?page={page}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        Html.ShouldNotLeakExceptionDetails(html);
        var text = Html.Text(html);
        text.ShouldContain($"The value '{page}' is not valid", customMessage: "the message names the bad value");
        text.ShouldContain("Reference:");
        Html.TableRows(html).ShouldBeEmpty("page one is not shown as if it had been asked for");
    }

    [Fact]
    public async Task The_catalog_list_still_shows_a_good_page_without_an_error()
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        var response = await browser.GetAsync("/admin/catalog?page=1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        Html.TableRows(html).ShouldNotBeEmpty();
        Html.Text(html).ShouldNotContain("Reference:");
    }

    [Theory]
    // A page number that does not bind: the message names the value.
    [InlineData("abc", "The value 'abc' is not valid")]
    [InlineData("2x", "The value '2x' is not valid")]
    [InlineData("99999999999", "The value '99999999999' is not valid")]
    // One that binds but is out of range: the query's validation error with its field's own message, not only the generic one.
    [InlineData("0", "One or more fields are not valid. 'Page' must be between 1 and 100000. You entered 0.")]
    [InlineData("-1", "One or more fields are not valid. 'Page' must be between 1 and 100000. You entered -1.")]
    [InlineData("999999999", "One or more fields are not valid. 'Page' must be between 1 and 100000. You entered 999999999.")]
    public async Task The_stock_history_answers_a_page_it_cannot_show_with_400_its_message_and_a_reference(string page, string message)
    {
        var sku = await ProductWithOneMovementAsync("history page check");
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        var response = await browser.GetAsync($"/admin/catalog/stock/{sku}?page={page}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        Html.ShouldNotLeakExceptionDetails(html);
        var text = Html.Text(html);
        text.ShouldContain(message);
        html.ShouldNotContain(message, customMessage: "messages are HTML-encoded (their quotes as entities), never written raw");
        text.ShouldContain("Reference:");
        text.ShouldNotContain("history page check", customMessage: "page one of the history is not shown as if it had been asked for");
        Html.ElementText(html, "current-stock").ShouldBe("8", "the product and its stock form are still shown");
    }

    [Fact]
    public async Task The_stock_history_still_shows_a_good_page_without_an_error()
    {
        var sku = await ProductWithOneMovementAsync("history good page");
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        var response = await browser.GetAsync($"/admin/catalog/stock/{sku}?page=1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = Html.Text(await response.Content.ReadAsStringAsync());
        text.ShouldContain("history good page");
        text.ShouldNotContain("Reference:");
    }

    [Fact]
    public async Task A_failed_stock_change_on_a_bad_history_page_still_shows_the_change_error()
    {
        var sku = await ProductWithOneMovementAsync("history post check");
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        // The form posts back to the page's own address, page number included; the change's own error is what the admin needs.
        var response = await AppClient.PostFormAsync(browser, $"/admin/catalog/stock/{sku}",
            new Dictionary<string, string> { ["Input.Delta"] = "-50", ["Input.Reason"] = "Write-off" },
            postTo: $"/admin/catalog/stock/{sku}?page=0");

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        Html.Text(await response.Content.ReadAsStringAsync()).ShouldContain($"Stock of '{sku}' is too low");
        using var api = factory.AnonymousApi();
        (await CatalogApi.GetProductAsync(api, sku)).Stock.ShouldBe(8);
    }

    /// <summary>A new product with a stock of 8 whose history holds one movement with <paramref name="reason"/>.</summary>
    private async Task<string> ProductWithOneMovementAsync(string reason)
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, stock: 5);
        var adjusted = await catalogApi.PostAsJsonAsync($"/api/catalog/products/{sku}/stock-adjustments", new { delta = 3, reason });
        adjusted.StatusCode.ShouldBe(HttpStatusCode.OK, await adjusted.Content.ReadAsStringAsync());
        return sku;
    }
}
