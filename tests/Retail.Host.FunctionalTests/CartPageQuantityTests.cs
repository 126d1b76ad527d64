using System.Net;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>The cart page's quantity update with a quantity that is not a number.</summary>
public sealed class CartPageQuantityTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Theory]
    [InlineData("abc")]
    [InlineData("99999999999")]
    public async Task A_quantity_that_is_not_a_number_is_a_400_naming_it_and_leaves_the_line_unchanged(string quantity)
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 3.00m);
        using var browser = await factory.SignedInBrowserAsync(Users.Customer);
        (await OrderingPages.AddToCartAsync(browser, sku, 2)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var response = await AppClient.PostFormAsync(browser, "/cart",
            new Dictionary<string, string> { ["sku"] = sku, ["quantity"] = quantity }, postTo: "/cart?handler=Update");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        Html.ShouldNotLeakExceptionDetails(html);
        var text = Html.Text(html);
        text.ShouldContain($"The value '{quantity}' is not valid", customMessage: "the message names the bad value");
        text.ShouldNotContain("Quantity must be between", customMessage: "nobody asked for 0; the value was not a number at all");
        text.ShouldContain("Reference:");
        var row = Html.TableRows(await browser.GetStringAsync("/cart")).Single(r => r.Contains(sku, StringComparison.Ordinal));
        row.ShouldContain("$6.00", customMessage: "the line still holds 2 units");
    }

    [Fact]
    public async Task A_quantity_of_zero_is_still_answered_by_the_range_rule_not_as_a_binding_error()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 3.00m);
        using var browser = await factory.SignedInBrowserAsync(Users.Customer);
        (await OrderingPages.AddToCartAsync(browser, sku, 2)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var response = await AppClient.PostFormAsync(browser, "/cart",
            new Dictionary<string, string> { ["sku"] = sku, ["quantity"] = "0" }, postTo: "/cart?handler=Update");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = Html.Text(await response.Content.ReadAsStringAsync());
        text.ShouldContain("Reference:");
        text.ShouldContain("One or more fields are not valid.", customMessage: "0 is a number; the range rule answers it");
        text.ShouldNotContain("The value '0' is not valid");
    }
}
