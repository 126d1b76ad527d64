using System.Net;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>The back-office catalog list with page numbers they cannot use: 400, the message and the reference id.</summary>
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
}
