using System.Net;
using System.Net.Http.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>Catalog admins create and edit products and adjust stock through the pages and the API.</summary>
public sealed class AdminCatalogTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    private const string InsufficientStock = "is too low for that change; stock never goes below zero.";

    [Fact]
    public async Task A_catalog_admin_creates_a_product_with_the_form_and_the_api_shows_it()
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);
        var sku = CatalogApi.NewSku("NEW").ToLowerInvariant();

        var response = await AppClient.PostFormAsync(browser, "/admin/catalog/edit", ProductForm(sku, "Form Made Lantern", "garden", "24.90", stock: "15"));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await response.Content.ReadAsStringAsync()));
        response.RedirectTarget().AbsolutePath.ShouldBe("/admin/catalog");
        using var api = factory.AnonymousApi();
        var product = await CatalogApi.GetProductAsync(api, sku);
        product.Sku.ShouldBe(sku.ToUpperInvariant(), "SKUs are stored upper-case");
        product.Name.ShouldBe("Form Made Lantern");
        product.CategorySlug.ShouldBe("garden");
        product.Price.ShouldBe(24.90m);
        product.Stock.ShouldBe(15);
        product.ImageUrls.ShouldBe(["https://images.example/lantern.png"]);
        (await CatalogApi.SearchAsync(api, "?search=Form Made Lantern")).Items.Single().Sku.ShouldBe(sku.ToUpperInvariant());
        var list = await browser.GetStringAsync("/admin/catalog?search=Form Made Lantern");
        list.ShouldContain($"Saved {sku.ToUpperInvariant()}.", customMessage: "the status message follows the redirect");
    }

    [Fact]
    public async Task A_catalog_admin_changes_a_price_with_the_edit_form()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, price: 10.00m, category: "office", name: "Price Change Stapler");
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);
        var form = await browser.GetStringAsync($"/admin/catalog/edit/{sku}");
        form.ShouldContain("value=\"Price Change Stapler\"", customMessage: "the form is filled with the product");

        var response = await AppClient.PostFormAsync(browser, $"/admin/catalog/edit/{sku}", ProductForm(sku, "Price Change Stapler", "office", "12.34"));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await response.Content.ReadAsStringAsync()));
        var product = await CatalogApi.GetProductAsync(catalogApi, sku);
        product.Price.ShouldBe(12.34m);
        product.Name.ShouldBe("Price Change Stapler");
        product.Stock.ShouldBe(10, "editing details never touches stock");
    }

    [Theory]
    [InlineData("", "19.99", "books", "Input.Name")]
    [InlineData("Negative Price Item", "-1", "books", "Input.Price")]
    [InlineData("Unknown Category Item", "19.99", "no-such-category", "Input.Category")]
    [InlineData("Letters As Price Item", "abc", "books", "Input.Price")]
    [InlineData("Too Many Decimals Item", "1.999", "books", "Input.Price")]
    public async Task Bad_product_input_is_a_400_page_with_the_field_error_and_saves_nothing(string name, string price, string category, string field)
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);
        var sku = CatalogApi.NewSku("BAD");

        var response = await AppClient.PostFormAsync(browser, "/admin/catalog/edit", ProductForm(sku, name, category, price));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        Html.FieldError(html, field).ShouldNotBeNullOrWhiteSpace($"{field} should carry a message; page: {Html.Text(html)}");
        html.ShouldContain($"value=\"{sku}\"", customMessage: "the form keeps what was typed");
        Html.ShouldNotLeakExceptionDetails(html);
        (await browser.GetAsync($"/admin/catalog/edit/{sku}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "nothing was saved");
    }

    [Fact]
    public async Task Bad_input_on_the_edit_form_leaves_the_product_unchanged()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, price: 8.00m, name: "Unchanged Trowel");
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        var response = await AppClient.PostFormAsync(browser, $"/admin/catalog/edit/{sku}", ProductForm(sku, "Renamed Trowel", "garden", "-5"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        Html.FieldError(html, "Input.Price").ShouldNotBeNullOrWhiteSpace();
        Html.FieldError(html, "Input.Name").ShouldBeEmpty();
        var product = await CatalogApi.GetProductAsync(catalogApi, sku);
        product.Name.ShouldBe("Unchanged Trowel");
        product.Price.ShouldBe(8.00m);
    }

    [Fact]
    public async Task Adding_stock_on_the_stock_page_raises_it_and_records_who_did_it()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, stock: 7);
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        var response = await AppClient.PostFormAsync(browser, $"/admin/catalog/stock/{sku}", StockForm(5, "Delivery received"));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await response.Content.ReadAsStringAsync()));
        response.RedirectTarget().AbsolutePath.ShouldBe($"/admin/catalog/stock/{sku}");
        (await CatalogApi.GetProductAsync(catalogApi, sku)).Stock.ShouldBe(12);
        var page = await browser.GetStringAsync($"/admin/catalog/stock/{sku}");
        Html.ElementText(page, "current-stock").ShouldBe("12");
        Html.Text(page).ShouldContain("Stock is now 12.");
        Html.TableRows(page).ShouldContain(row =>
            row.Contains("+5") && row.Contains(" 12 ") && row.Contains("Delivery received") && row.Contains(Users.Catalog));
        var movements = await catalogApi.GetFromJsonAsync<StockMovementPage>($"/api/catalog/products/{sku}/stock-movements");
        movements!.Items.ShouldContain(m => m.Delta == 5 && m.StockAfter == 12 && m.Actor == Users.Catalog && m.Reason == "Delivery received");
    }

    [Fact]
    public async Task Removing_more_than_the_stock_on_the_stock_page_is_a_409_and_changes_nothing()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, stock: 4);
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        var response = await AppClient.PostFormAsync(browser, $"/admin/catalog/stock/{sku}", StockForm(-5, "Write-off"));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var html = await response.Content.ReadAsStringAsync();
        Html.Text(html).ShouldContain($"Stock of '{sku}' {InsufficientStock}");
        Html.ElementText(html, "current-stock").ShouldBe("4");
        (await CatalogApi.GetProductAsync(catalogApi, sku)).Stock.ShouldBe(4);
        var movements = await catalogApi.GetFromJsonAsync<StockMovementPage>($"/api/catalog/products/{sku}/stock-movements");
        movements!.Items.ShouldNotContain(m => m.Reason == "Write-off");
    }

    [Theory]
    [InlineData("0", "a reason", "Input.Delta")]
    [InlineData("2", "", "Input.Reason")]
    [InlineData("many", "a reason", "Input.Delta")]
    public async Task Bad_stock_input_is_a_400_with_the_field_error(string delta, string reason, string field)
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);
        using var api = factory.AnonymousApi();
        var before = (await CatalogApi.GetProductAsync(api, "TY-0001")).Stock;

        var response = await AppClient.PostFormAsync(browser, "/admin/catalog/stock/TY-0001",
            new Dictionary<string, string> { ["Input.Delta"] = delta, ["Input.Reason"] = reason });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        Html.FieldError(await response.Content.ReadAsStringAsync(), field).ShouldNotBeNullOrWhiteSpace();
        (await CatalogApi.GetProductAsync(api, "TY-0001")).Stock.ShouldBe(before);
    }

    [Fact]
    public async Task A_value_that_does_not_bind_is_answered_like_the_other_pages_binding_errors_with_a_reference()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, price: 6.00m, stock: 3, name: "Unbound Price Trowel");
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        var edit = await AppClient.PostFormAsync(browser, $"/admin/catalog/edit/{sku}", ProductForm(sku, "Unbound Price Trowel", "garden", "abc"));
        var stock = await AppClient.PostFormAsync(browser, $"/admin/catalog/stock/{sku}",
            new Dictionary<string, string> { ["Input.Delta"] = "many", ["Input.Reason"] = "a reason" });

        foreach (var (response, field, value) in new[] { (edit, "Input.Price", "abc"), (stock, "Input.Delta", "many") })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            var html = await response.Content.ReadAsStringAsync();
            Html.FieldError(html, field).ShouldNotBeNullOrWhiteSpace();
            var text = Html.Text(html);
            text.ShouldContain($"The value '{value}' is not valid", customMessage: "the top message names the bad value");
            text.ShouldContain("Reference:");
        }

        var product = await CatalogApi.GetProductAsync(catalogApi, sku);
        product.Price.ShouldBe(6.00m);
        product.Stock.ShouldBe(3);
    }

    [Fact]
    public async Task Twenty_parallel_removals_of_one_from_a_stock_of_ten_let_exactly_ten_through()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, stock: 10);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            catalogApi.PostAsJsonAsync($"/api/catalog/products/{sku}/stock-adjustments", new { delta = -1, reason = $"parallel {i}" })));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        statuses.Count(s => s == HttpStatusCode.OK).ShouldBe(10, string.Join(", ", statuses));
        statuses.Count(s => s == HttpStatusCode.Conflict).ShouldBe(10, string.Join(", ", statuses));
        var levels = new List<int>();
        foreach (var ok in responses.Where(r => r.StatusCode == HttpStatusCode.OK))
        {
            levels.Add((await ok.Content.ReadFromJsonAsync<StockLevel>())!.Stock);
        }

        levels.Order().ShouldBe(Enumerable.Range(0, 10), "each success saw its own stock level");
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            (await conflict.Content.ReadAsStringAsync()).ShouldContain("catalog.insufficient_stock");
        }

        (await CatalogApi.GetProductAsync(catalogApi, sku)).Stock.ShouldBe(0);
        var movements = await catalogApi.GetFromJsonAsync<StockMovementPage>($"/api/catalog/products/{sku}/stock-movements?page=1");
        movements!.TotalCount.ShouldBe(10, "one audit row per accepted change");
    }

    [Fact]
    public async Task A_stock_history_page_far_past_the_end_never_shows_the_newest_movements_again()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, stock: 5);
        (await catalogApi.PostAsJsonAsync($"/api/catalog/products/{sku}/stock-adjustments", new { delta = 3, reason = "delivery received" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // (page - 1) * pageSize overflowed int and wrapped to a negative offset, which SQLite reads as 0: page 1 again.
        var response = await catalogApi.GetAsync($"/api/catalog/products/{sku}/stock-movements?page={int.MaxValue}");

        var body = await response.Content.ReadAsStringAsync();
        body.ShouldNotContain("delivery received", customMessage: "a page past the end lists no movements");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        body.ShouldContain("validation_failed");
    }

    [Fact]
    public async Task A_null_image_url_in_the_api_body_is_a_validation_problem_not_a_server_error()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, price: 5m);

        var updated = await catalogApi.PutAsJsonAsync($"/api/catalog/products/{sku}", new { name = "Null Image Lamp", category = "garden", price = 6m, imageUrls = new string?[] { null } });
        var created = await catalogApi.PostAsJsonAsync("/api/catalog/products", new { sku = CatalogApi.NewSku(), name = "Null Image Lamp", category = "garden", price = 6m, initialStock = 1, imageUrls = new string?[] { null } });

        updated.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await updated.Content.ReadAsStringAsync());
        (await updated.Content.ReadAsStringAsync()).ShouldContain("ImageUrls");
        created.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await created.Content.ReadAsStringAsync());
        (await CatalogApi.GetProductAsync(catalogApi, sku)).Price.ShouldBe(5m);
    }

    [Theory]
    [InlineData("Null\u0000Lamp", "Plain text.", "Name")]
    [InlineData("Bell\u0007Lamp", "Plain text.", "Name")]
    [InlineData("Escape Lamp", "Text \u001b[31m red", "Description")]
    public async Task Control_characters_in_a_product_name_or_description_are_a_validation_problem_and_save_nothing(string name, string description, string field)
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, price: 5m);
        var newSku = CatalogApi.NewSku();

        var created = await catalogApi.PostAsJsonAsync("/api/catalog/products", new { sku = newSku, name, description, category = "garden", price = 6m, initialStock = 1 });
        var updated = await catalogApi.PutAsJsonAsync($"/api/catalog/products/{sku}", new { name, description, category = "garden", price = 6m });

        created.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await created.Content.ReadAsStringAsync());
        (await created.Content.ReadAsStringAsync()).ShouldContain($"\"{field}\"");
        updated.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await updated.Content.ReadAsStringAsync());
        (await catalogApi.GetAsync($"/api/catalog/products/{newSku}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await CatalogApi.GetProductAsync(catalogApi, sku)).Price.ShouldBe(5m);
    }

    [Fact]
    public async Task A_description_keeps_its_line_breaks_and_tabs()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, price: 5m);

        var updated = await catalogApi.PutAsJsonAsync($"/api/catalog/products/{sku}", new { name = "Lined Lamp", description = "Line one\r\nLine two\tindented", category = "garden", price = 6m });

        updated.StatusCode.ShouldBe(HttpStatusCode.NoContent, await updated.Content.ReadAsStringAsync());
        (await CatalogApi.GetProductAsync(catalogApi, sku)).Description.ShouldBe("Line one\r\nLine two\tindented");
    }

    [Fact]
    public async Task Search_treats_percent_and_underscore_in_product_names_literally()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var literal = await CatalogApi.CreateProductAsync(catalogApi, name: "Promo 50%_off Mug");
        var lookalike = await CatalogApi.CreateProductAsync(catalogApi, name: "Promo 50 xoff Mug");

        var result = await CatalogApi.SearchAsync(catalogApi, "?search=" + Uri.EscapeDataString("50%_off"));

        result.Items.Select(p => p.Sku).ShouldBe([literal]);
        (await CatalogApi.SearchAsync(catalogApi, "?search=" + Uri.EscapeDataString("50 xoff"))).Items.Select(p => p.Sku).ShouldBe([lookalike]);
    }

    [Fact]
    public async Task A_duplicate_sku_is_a_409_on_the_api()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);

        var response = await catalogApi.PostAsJsonAsync("/api/catalog/products",
            new { sku = "el-0001", name = "Duplicate", category = "electronics", price = 1m, initialStock = 1 });

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.Content.ReadAsStringAsync()).ShouldContain("catalog.duplicate_sku");
    }

    [Fact]
    public async Task Two_admins_editing_one_product_the_save_from_the_older_form_is_refused_and_the_first_save_stays()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, price: 10.00m, category: "office", name: "Contested Desk Lamp");
        using var first = await factory.SignedInBrowserAsync(Users.Catalog);
        using var second = await factory.SignedInBrowserAsync(Users.Catalog);
        var firstForm = await first.GetStringAsync($"/admin/catalog/edit/{sku}");
        var secondForm = await second.GetStringAsync($"/admin/catalog/edit/{sku}");

        var firstSave = await first.PostAsync($"/admin/catalog/edit/{sku}", AsBrowserPosts(firstForm, ProductForm(sku, "Renamed By The First Admin", "office", "10.00")));
        firstSave.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await firstSave.Content.ReadAsStringAsync()));
        var secondSave = await second.PostAsync($"/admin/catalog/edit/{sku}", AsBrowserPosts(secondForm, ProductForm(sku, "Contested Desk Lamp", "office", "12.50")));

        secondSave.StatusCode.ShouldBe(HttpStatusCode.Conflict, "the second admin's form was filled before the first admin saved");
        var html = await secondSave.Content.ReadAsStringAsync();
        Html.Text(html).ShouldContain("This product was changed by someone else meanwhile. Please reload it and try again.");
        html.ShouldContain("Reference:");
        var product = await CatalogApi.GetProductAsync(catalogApi, sku);
        product.Name.ShouldBe("Renamed By The First Admin", "the first admin's change is not silently undone");
        product.Price.ShouldBe(10.00m);

        var reloaded = await second.GetStringAsync($"/admin/catalog/edit/{sku}");
        var retried = await second.PostAsync($"/admin/catalog/edit/{sku}", AsBrowserPosts(reloaded, ProductForm(sku, "Renamed By The First Admin", "office", "12.50")));
        retried.StatusCode.ShouldBe(HttpStatusCode.Redirect, "a reloaded form saves");
        (await CatalogApi.GetProductAsync(catalogApi, sku)).Price.ShouldBe(12.50m);
    }

    [Fact]
    public async Task Stock_sold_or_adjusted_while_an_admin_edits_neither_blocks_the_save_nor_is_lost_by_it()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, stock: 10, price: 5.00m, name: "Busy Watering Can");
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);
        var form = await browser.GetStringAsync($"/admin/catalog/edit/{sku}");
        (await catalogApi.PostAsJsonAsync($"/api/catalog/products/{sku}/stock-adjustments", new { delta = -3, reason = "sold at the counter" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var saved = await browser.PostAsync($"/admin/catalog/edit/{sku}", AsBrowserPosts(form, ProductForm(sku, "Busy Watering Can", "garden", "6.00")));

        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await saved.Content.ReadAsStringAsync()));
        var product = await CatalogApi.GetProductAsync(catalogApi, sku);
        product.Price.ShouldBe(6.00m);
        product.Stock.ShouldBe(7, "the stock change made while the form was open stays");
    }

    [Fact]
    public async Task An_api_update_with_a_stale_version_is_a_409_and_changes_nothing()
    {
        using var catalogApi = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogApi, price: 3.00m, name: "Versioned Trowel");
        var version = (await catalogApi.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/catalog/products/{sku}")).GetProperty("version").GetInt32();

        var first = await catalogApi.PutAsJsonAsync($"/api/catalog/products/{sku}", new { name = "Versioned Trowel", category = "garden", price = 4.00m, version });
        var stale = await catalogApi.PutAsJsonAsync($"/api/catalog/products/{sku}", new { name = "Stale Trowel", category = "garden", price = 9.00m, version });

        first.StatusCode.ShouldBe(HttpStatusCode.NoContent, await first.Content.ReadAsStringAsync());
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await stale.Content.ReadAsStringAsync()).ShouldContain("catalog.product_changed");
        var product = await CatalogApi.GetProductAsync(catalogApi, sku);
        product.Name.ShouldBe("Versioned Trowel");
        product.Price.ShouldBe(4.00m);
    }

    /// <summary>What a browser sends for the form in <paramref name="formHtml"/>: its hidden fields (token, version) plus the typed ones.</summary>
    private static FormUrlEncodedContent AsBrowserPosts(string formHtml, Dictionary<string, string> typed)
    {
        var fields = new Dictionary<string, string>(typed);
        foreach (System.Text.RegularExpressions.Match input in System.Text.RegularExpressions.Regex.Matches(formHtml, "<input[^>]*type=\"hidden\"[^>]*>"))
        {
            var name = System.Text.RegularExpressions.Regex.Match(input.Value, "\\bname=\"([^\"]*)\"").Groups[1].Value;
            var value = System.Text.RegularExpressions.Regex.Match(input.Value, "\\bvalue=\"([^\"]*)\"").Groups[1].Value;
            if (name.Length > 0 && !fields.ContainsKey(name))
            {
                fields[name] = WebUtility.HtmlDecode(value);
            }
        }

        return new FormUrlEncodedContent(fields);
    }

    private static Dictionary<string, string> ProductForm(string sku, string name, string category, string price, string stock = "0") => new()
    {
        ["Input.Sku"] = sku,
        ["Input.Name"] = name,
        ["Input.Description"] = "Entered through the admin form.",
        ["Input.Category"] = category,
        ["Input.Price"] = price,
        ["Input.InitialStock"] = stock,
        ["Input.ImageUrls"] = "https://images.example/lantern.png",
        ["Input.IsActive"] = "true",
    };

    private static Dictionary<string, string> StockForm(int delta, string reason) => new()
    {
        ["Input.Delta"] = delta.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Input.Reason"] = reason,
    };
}
