using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Retail.BuildingBlocks.Application;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>The cart page's lines and subtotal when a line can no longer be ordered.</summary>
public sealed partial class CartPageTotalTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Fact]
    public async Task An_unavailable_line_is_listed_at_nothing_so_the_line_totals_add_up_to_the_subtotal()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var kept = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 4m, name: "Kept Kettle");
        var (shortSku, shortName) = await CatalogApi.CreateNamedProductAsync(catalogAdmin, "Short Samovar");
        using var browser = factory.Browser();
        await AppClient.LoginAsync(browser, await CheckoutLoad.RegisterAsync(factory, "cart-total"), CheckoutLoad.Password);
        (await OrderingPages.AddToCartAsync(browser, kept)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await OrderingPages.AddToCartAsync(browser, shortSku, 2)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        // Fewer in stock than the line asks for: the line cannot be ordered as it is.
        await CheckoutLoad.SetStockAsync(catalogAdmin, shortSku, 1);

        var html = await browser.GetStringAsync("/cart");

        // Was: the samovar's line showed $12.00 while the subtotal, $4.00, left it out — the lines added up to $16.00.
        var rows = Html.TableRows(html).Where(r => MoneyAmount().IsMatch(r)).ToList();
        rows.Count.ShouldBe(2, string.Join(" | ", rows));
        // The line total is the last amount of a row (the unit price comes before it).
        var listed = rows.Sum(r => Amount(MoneyAmount().Matches(r)[^1].Groups[1].Value));
        var subtotal = Amount(MoneyAmount().Match(Html.ElementText(html, "cart-subtotal")).Groups[1].Value);
        listed.ShouldBe(subtotal, string.Join(" | ", rows));
        subtotal.ShouldBe(4m);
        var unavailable = rows.Single(r => r.Contains(shortName, StringComparison.Ordinal));
        unavailable.ShouldContain(UserMessages.OutOfStock);
        unavailable.ShouldContain("Not included in your total.");
        rows.Single(r => r.Contains("Kept Kettle", StringComparison.Ordinal)).ShouldNotContain("Not included");
        Html.Text(html).ShouldContain("Subtotal (1 item): $4.00", customMessage: "the count is of the items in the subtotal");
    }

    private static decimal Amount(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\$([0-9,]*[0-9]\.[0-9]{2})")]
    private static partial Regex MoneyAmount();
}
