using System.Net;
using System.Net.Http.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>SPEC S3: a form POST without the antiforgery token is refused with 400 and changes nothing.</summary>
public sealed class AntiforgeryTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Fact]
    public async Task A_login_post_without_the_token_is_400_and_signs_nobody_in()
    {
        using var client = factory.Browser();
        (await client.GetAsync("/Identity/Login")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await AppClient.PostFormWithoutTokenAsync(client, "/Identity/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = Users.Customer,
            ["Input.Password"] = RetailAppFactory.DemoPassword,
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.SetsAuthCookie().ShouldBeFalse();
        Html.ShouldBeFriendlyErrorPage(await response.Content.ReadAsStringAsync());
        (await client.GetAsync("/Identity/Logout")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "still anonymous");
    }

    [Fact]
    public async Task A_product_create_post_without_the_token_is_400_and_creates_nothing()
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);
        var sku = CatalogApi.NewSku("CSRF");

        var response = await AppClient.PostFormWithoutTokenAsync(browser, "/admin/catalog/edit", new Dictionary<string, string>
        {
            ["Input.Sku"] = sku,
            ["Input.Name"] = "Forged Product",
            ["Input.Category"] = "books",
            ["Input.Price"] = "1.00",
            ["Input.InitialStock"] = "1",
            ["Input.IsActive"] = "true",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await browser.GetAsync($"/admin/catalog/edit/{sku}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "no product was created");
        using var api = factory.AnonymousApi();
        (await api.GetAsync($"/api/catalog/products/{sku}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_product_edit_post_without_the_token_is_400_and_changes_nothing()
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);
        using var api = factory.AnonymousApi();
        var before = await CatalogApi.GetProductAsync(api, "BK-0003");

        var response = await AppClient.PostFormWithoutTokenAsync(browser, "/admin/catalog/edit/BK-0003", new Dictionary<string, string>
        {
            ["Input.Sku"] = "BK-0003",
            ["Input.Name"] = "Hijacked",
            ["Input.Category"] = "books",
            ["Input.Price"] = "0.01",
            ["Input.IsActive"] = "true",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var after = await CatalogApi.GetProductAsync(api, "BK-0003");
        after.Name.ShouldBe(before.Name);
        after.Price.ShouldBe(before.Price);
    }

    [Fact]
    public async Task A_stock_post_without_the_token_is_400_and_leaves_the_stock_alone_while_the_same_post_with_it_works()
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);
        using var api = factory.AnonymousApi();
        const string sku = "EL-0002";
        var before = (await CatalogApi.GetProductAsync(api, sku)).Stock;
        var fields = new Dictionary<string, string> { ["Input.Delta"] = "3", ["Input.Reason"] = "forged" };

        var forged = await AppClient.PostFormWithoutTokenAsync(browser, $"/admin/catalog/stock/{sku}", fields);

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CatalogApi.GetProductAsync(api, sku)).Stock.ShouldBe(before);

        // Control: the same request with the page's token is accepted, so the 400 above was the missing token.
        var genuine = await AppClient.PostFormAsync(browser, $"/admin/catalog/stock/{sku}", fields);
        genuine.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await genuine.Content.ReadAsStringAsync()));
        (await CatalogApi.GetProductAsync(api, sku)).Stock.ShouldBe(before + 3);
    }

    [Fact]
    public async Task A_token_issued_to_another_visitor_is_refused()
    {
        using var attacker = factory.Browser();
        var attackerPage = await attacker.GetStringAsync("/Identity/Register");
        var attackerToken = Html.AntiforgeryToken(attackerPage);
        using var victim = await factory.SignedInBrowserAsync(Users.Catalog);
        using var api = factory.AnonymousApi();
        var before = (await CatalogApi.GetProductAsync(api, "EL-0004")).Stock;

        var response = await victim.PostAsync("/admin/catalog/stock/EL-0004", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Delta"] = "-1",
            ["Input.Reason"] = "forged",
            ["__RequestVerificationToken"] = attackerToken,
        }));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CatalogApi.GetProductAsync(api, "EL-0004")).Stock.ShouldBe(before);
    }

    [Fact]
    public async Task Json_apis_need_no_antiforgery_token_but_do_need_authentication()
    {
        using var anonymous = factory.AnonymousApi();

        var response = await anonymous.PostAsJsonAsync("/api/catalog/products/EL-0005/stock-adjustments", new { delta = 1, reason = "anonymous" });

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
