using System.Net;
using System.Text.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>
/// The public catalog over the seeded demo data (8 categories × 30 products, every 30th inactive), through the JSON
/// API and the pages. Nothing here writes, so the seed's numbers hold.
/// </summary>
public sealed class CatalogBrowsingTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    private const int ActiveSeededProducts = 232;

    [Fact]
    public async Task The_default_page_has_24_active_products_of_at_least_200()
    {
        using var client = factory.AnonymousApi();

        var page = await CatalogApi.SearchAsync(client, "");

        page.Page.ShouldBe(1);
        page.PageSize.ShouldBe(24);
        page.Items.Count.ShouldBe(24);
        page.TotalCount.ShouldBeGreaterThanOrEqualTo(200);
        page.TotalCount.ShouldBe(ActiveSeededProducts, "240 seeded, every 30th inactive");
        page.Items.ShouldAllBe(p => p.IsActive);
        page.Items.Select(p => p.Sku).ShouldBeUnique();
    }

    [Fact]
    public async Task Page_two_continues_page_one_in_name_order_without_repeats()
    {
        using var client = factory.AnonymousApi();

        var first = await CatalogApi.SearchAsync(client, "?pageSize=10&page=1");
        var second = await CatalogApi.SearchAsync(client, "?pageSize=10&page=2");
        var firstTwenty = await CatalogApi.SearchAsync(client, "?pageSize=20&page=1");

        second.Page.ShouldBe(2);
        second.Items.Count.ShouldBe(10);
        second.Items.Select(p => p.Sku).ShouldBe(firstTwenty.Items.Skip(10).Select(p => p.Sku));
        first.Items.Select(p => p.Sku).Intersect(second.Items.Select(p => p.Sku)).ShouldBeEmpty();
        var names = firstTwenty.Items.Select(p => (p.Name, p.Sku)).ToList();
        names.ShouldBe(names.OrderBy(n => n.Name, StringComparer.Ordinal).ThenBy(n => n.Sku, StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_last_page_holds_the_remainder_and_a_page_past_the_end_is_empty()
    {
        using var client = factory.AnonymousApi();

        var last = await CatalogApi.SearchAsync(client, "?pageSize=100&page=3");
        var beyond = await CatalogApi.SearchAsync(client, "?pageSize=100&page=4");

        last.Items.Count.ShouldBe(ActiveSeededProducts - 200);
        beyond.Items.ShouldBeEmpty();
        beyond.TotalCount.ShouldBe(ActiveSeededProducts);
    }

    [Fact]
    public async Task A_category_filter_returns_only_that_category()
    {
        using var client = factory.AnonymousApi();

        var books = await CatalogApi.SearchAsync(client, "?category=books&pageSize=100");

        books.TotalCount.ShouldBe(29);
        books.Items.Count.ShouldBe(29);
        books.Items.ShouldAllBe(p => p.CategorySlug == "books" && p.Category == "Books");
        books.Items.ShouldAllBe(p => p.Sku.StartsWith("BK-"));
        (await CatalogApi.SearchAsync(client, "?category=no-such-category")).TotalCount.ShouldBe(0);
    }

    [Fact]
    public async Task Search_finds_products_by_sku_fragment()
    {
        using var client = factory.AnonymousApi();

        var result = await CatalogApi.SearchAsync(client, "?search=el-001");

        result.Items.Select(p => p.Sku).Order(StringComparer.Ordinal)
            .ShouldBe(Enumerable.Range(10, 10).Select(i => $"EL-00{i}"));
    }

    [Fact]
    public async Task Search_finds_products_by_a_word_of_the_name()
    {
        using var client = factory.AnonymousApi();

        var result = await CatalogApi.SearchAsync(client, "?search=Kettle&pageSize=100");

        result.TotalCount.ShouldBeGreaterThan(0);
        result.Items.ShouldAllBe(p => p.Name.Contains("Kettle", StringComparison.OrdinalIgnoreCase));
        result.Items.ShouldAllBe(p => p.CategorySlug == "home-kitchen");
        (await CatalogApi.SearchAsync(client, "?search=kettle&pageSize=100")).TotalCount.ShouldBe(result.TotalCount, "case does not matter");
        (await CatalogApi.SearchAsync(client, "?search=Kettle&category=books")).TotalCount.ShouldBe(0, "search and category combine");
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("%25%")]
    [InlineData("EL_0001")]
    [InlineData("E%1")]
    public async Task Like_wildcards_in_the_search_are_matched_literally(string search)
    {
        using var client = factory.AnonymousApi();

        var result = await CatalogApi.SearchAsync(client, "?search=" + Uri.EscapeDataString(search));

        // No seeded name, SKU or description contains '%' or '_': as wildcards they would match (almost) everything.
        result.TotalCount.ShouldBe(0);
    }

    [Theory]
    [InlineData("?pageSize=0", "PageSize")]
    [InlineData("?pageSize=101", "PageSize")]
    [InlineData("?page=0", "Page")]
    [InlineData("?page=-1&pageSize=10", "Page")]
    // SQLite ends a LIKE pattern at a NUL: "%\0abc%" matched every active product.
    [InlineData("?search=%00abc", "Search")]
    [InlineData("?search=Kettle%00", "Search")]
    [InlineData("?search=a%01b", "Search")]
    [InlineData("?category=books%00", "Category")]
    public async Task Out_of_range_paging_and_control_characters_in_the_search_are_a_400_validation_problem_naming_the_field(string query, string field)
    {
        using var client = factory.AnonymousApi();

        var response = await client.GetAsync("/api/catalog/products" + query);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(400);
        problem.RootElement.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        var errors = problem.RootElement.GetProperty("errors");
        errors.TryGetProperty(field, out var messages).ShouldBeTrue($"errors should name {field}: {errors}");
        messages.GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task The_catalog_page_reports_control_characters_in_the_search()
    {
        using var client = factory.Browser();

        var response = await client.GetAsync("/catalog?search=%00abc");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        Html.ShouldNotLeakExceptionDetails(html);
        Html.Text(html).ShouldContain("Reference:");
        html.ShouldNotContain("id=\"result-count\"");
    }

    [Fact]
    public async Task A_product_is_found_by_sku_in_any_case()
    {
        using var client = factory.AnonymousApi();

        var product = await CatalogApi.GetProductAsync(client, "el-0001");

        product.Sku.ShouldBe("EL-0001");
        product.CategorySlug.ShouldBe("electronics");
        product.Price.ShouldBeGreaterThan(0m);
        product.ImageUrls.ShouldNotBeEmpty();
        product.IsActive.ShouldBeTrue();
    }

    [Fact]
    public async Task An_unknown_sku_is_a_404_problem_with_a_stable_code()
    {
        using var client = factory.AnonymousApi();

        var response = await client.GetAsync("/api/catalog/products/NOPE-9999");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("code").GetString().ShouldBe("catalog.product_not_found");
        problem.RootElement.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Inactive_products_are_hidden_from_the_shop_but_not_from_catalog_admins()
    {
        using var anonymous = factory.AnonymousApi();
        using var browser = factory.Browser();

        (await anonymous.GetAsync("/api/catalog/products/EL-0030")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await CatalogApi.SearchAsync(anonymous, "?search=EL-0030")).TotalCount.ShouldBe(0);
        (await browser.GetAsync("/catalog/product/EL-0030")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var admin = await factory.SignedInBrowserAsync(Users.Catalog);
        var edit = await admin.GetAsync("/admin/catalog/edit/EL-0030");
        edit.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await edit.Content.ReadAsStringAsync();
        html.ShouldContain("value=\"EL-0030\"");
        Html.Text(await admin.GetStringAsync("/admin/catalog?search=EL-0030")).ShouldContain("Inactive");
    }

    [Fact]
    public async Task The_catalog_page_shows_search_results()
    {
        using var client = factory.Browser();

        var response = await client.GetAsync("/catalog?search=Kettle");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        var kettles = await CatalogApi.SearchAsync(client, "?search=Kettle");
        Html.ElementText(html, "result-count").ShouldBe($"{kettles.TotalCount} products");
        foreach (var product in kettles.Items)
        {
            html.ShouldContain($"href=\"/catalog/product/{product.Sku}\"");
        }

        html.ShouldNotContain("class=\"pager\"", customMessage: "one page of results needs no pager");
    }

    [Fact]
    public async Task The_catalog_page_keeps_a_category_filter_typed_in_another_case_selected()
    {
        // The filter itself ignores case (BOOKS lists the books); the dropdown showed "All categories", so the next Apply
        // dropped the filter the customer had.
        using var client = factory.Browser();

        var html = await client.GetStringAsync("/catalog?category=BOOKS");

        html.ShouldContain("<option value=\"books\" selected=\"selected\">");
        Html.ElementText(html, "result-count").ShouldBe($"{(await CatalogApi.SearchAsync(client, "?category=books")).TotalCount} products");
    }

    [Fact]
    public async Task The_catalog_page_pages_through_results_with_a_working_pager()
    {
        using var client = factory.Browser();

        var first = await client.GetStringAsync("/catalog?category=books");
        Html.Text(first).ShouldContain("Page 1 of 2");
        var next = System.Text.RegularExpressions.Regex.Match(first, "<a href=\"([^\"]+)\" rel=\"next\"");
        next.Success.ShouldBeTrue("page 1 links to the next page");

        // Follow the link as a browser would.
        var second = await client.GetStringAsync(WebUtility.HtmlDecode(next.Groups[1].Value));

        Html.Text(second).ShouldContain("Page 2 of 2");
        second.ShouldContain("rel=\"prev\"");
        var apiSecond = await CatalogApi.SearchAsync(client, "?category=books&page=2");
        apiSecond.Items.Count.ShouldBe(5);
        foreach (var product in apiSecond.Items)
        {
            second.ShouldContain($"href=\"/catalog/product/{product.Sku}\"");
            first.ShouldNotContain($"href=\"/catalog/product/{product.Sku}\"");
        }
    }

    [Fact]
    public async Task A_catalog_page_past_the_end_says_so_and_links_to_the_last_page()
    {
        // An old bookmark or a shared link after products were removed: the page showed "29 products", an empty grid and
        // "Page 7 of 2" whose only link, "Previous", led to page 6, just as empty.
        using var client = factory.Browser();

        var response = await client.GetAsync("/catalog?category=books&page=7");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        Html.ElementText(html, "past-the-end").ShouldBe("There is no page 7 of these products: they end on page 2. Go to page 2");
        Html.Text(html).ShouldNotContain("Page 7 of 2");
        html.ShouldNotContain("rel=\"prev\"");
        var last = System.Text.RegularExpressions.Regex.Match(html, "id=\"past-the-end\"[^>]*>.*?<a href=\"([^\"]+)\"");
        last.Success.ShouldBeTrue("the notice links to the last page");
        var lastPage = await client.GetStringAsync(WebUtility.HtmlDecode(last.Groups[1].Value));
        Html.Text(lastPage).ShouldContain("Page 2 of 2");
        lastPage.ShouldContain("href=\"/catalog/product/");
    }

    [Fact]
    public async Task The_catalog_page_reports_bad_paging_without_an_error_page()
    {
        using var client = factory.Browser();

        var response = await client.GetAsync("/catalog?page=0");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        Html.ShouldNotLeakExceptionDetails(html);
        Html.Text(html).ShouldContain("One or more fields are not valid.");
    }

    [Theory]
    [InlineData("/catalog?page=abc")]
    [InlineData("/catalog?page=99999999999")]
    [InlineData("/catalog?category=books&page=2x")]
    public async Task The_catalog_page_reports_a_page_number_that_is_not_a_number_instead_of_showing_page_one(string url)
    {
        using var client = factory.Browser();

        var response = await client.GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        Html.ShouldNotLeakExceptionDetails(html);
        var text = Html.Text(html);
        text.ShouldContain("is not valid");
        text.ShouldContain("Reference:");
        html.ShouldNotContain("id=\"result-count\"", customMessage: "no results are shown for a page that was never asked for");
    }

    [Fact]
    public async Task The_product_page_shows_the_product()
    {
        using var client = factory.Browser();
        var product = await CatalogApi.GetProductAsync(client, "HK-0001");

        var response = await client.GetAsync("/catalog/product/HK-0001");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = Html.Text(await response.Content.ReadAsStringAsync());
        text.ShouldContain(product.Name);
        text.ShouldContain("SKU HK-0001");
        text.ShouldContain(product.Price.ToString("C", System.Globalization.CultureInfo.GetCultureInfo("en-US")));
    }

    [Fact]
    public async Task An_unknown_product_page_is_a_friendly_404_with_a_reference_id()
    {
        using var client = factory.Browser();

        var response = await client.GetAsync("/catalog/product/NOPE-9999");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync();
        Html.Text(html).ShouldContain("Page not found");
        Html.ShouldBeFriendlyErrorPage(html);
    }
}
