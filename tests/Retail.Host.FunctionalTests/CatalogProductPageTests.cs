using System.Net;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>The storefront's product page for products the tests create: how it shows them and how it answers its form.</summary>
public sealed class CatalogProductPageTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Fact]
    public async Task A_description_shows_its_line_breaks_and_stays_html_encoded()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, name: "Lined Garden Hose");
        var updated = await catalogApi.PutAsync($"/api/catalog/products/{sku}", System.Net.Http.Json.JsonContent.Create(new
        {
            name = "Lined Garden Hose",
            description = "25 m of <b>hose</b>.\r\nFits every tap.\n\nCare: drain before frost.",
            category = "garden",
            price = 20m,
        }));
        updated.StatusCode.ShouldBe(HttpStatusCode.NoContent, await updated.Content.ReadAsStringAsync());
        using var browser = factory.Browser();

        var html = await browser.GetStringAsync($"/catalog/product/{sku}");

        var description = System.Text.RegularExpressions.Regex.Match(html, """<p class="description"[^>]*>(.*?)</p>""", System.Text.RegularExpressions.RegexOptions.Singleline);
        description.Success.ShouldBeTrue("the page shows the description");
        description.Groups[1].Value.ShouldBe("25 m of &lt;b&gt;hose&lt;/b&gt;.<br />Fits every tap.<br /><br />Care: drain before frost.",
            "each line the admin typed is its own line on the page, and the text itself is still encoded");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("99999999999")]
    public async Task A_quantity_that_does_not_bind_is_a_400_naming_it_with_a_reference_and_nothing_is_added(string quantity)
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, name: "Unbound Quantity Rake");
        using var browser = await factory.SignedInBrowserAsync(Users.Customer);

        var response = await AppClient.PostFormAsync(browser, $"/catalog/product/{sku}", new Dictionary<string, string> { ["Input.Quantity"] = quantity });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        var text = Html.Text(html);
        text.ShouldContain($"The value '{quantity}' is not valid", customMessage: "the message names the refused value");
        text.ShouldContain("Reference:", customMessage: "like every other page's binding error, with the reference id");
        Html.ShouldNotLeakExceptionDetails(html);
        (await browser.GetStringAsync("/cart")).ShouldNotContain(sku, customMessage: "nothing was added to the cart");
    }
}
