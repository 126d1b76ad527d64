using System.Net;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>The storefront's product page for products the tests create: how it shows them and how it answers its form.</summary>
public sealed class CatalogProductPageTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
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
