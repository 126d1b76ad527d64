using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.FlashSales;

/// <summary>Its own app: these tests switch flash sales off and on, which no other test class may see.</summary>
public sealed class FlashSalesAppFactory : RetailAppFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["FlashSales:PerUserSkuPermitLimit"] = "2";
        return settings;
    }
}

/// <summary>Issue 4 over real HTTP: listing page and API, admin API and pages, the switch, and checkout at the flash price.</summary>
public sealed class FlashSalesHttpTests(FlashSalesAppFactory factory) : IClassFixture<FlashSalesAppFactory>
{
    private static object Sale(string sku, DateTimeOffset startsAt, DateTimeOffset endsAt, decimal? flashPrice = 7.5m, int? percentOff = null, int allocation = 20, int cap = 2) => new
    {
        name = "Deals " + sku,
        startsAt,
        endsAt,
        items = new[] { new { sku, flashPrice, percentOff, allocation, perCustomerCap = cap } },
    };

    private async Task<(HttpClient Admin, string Sku, Guid SaleId)> LiveSaleAsync(decimal price = 10m)
    {
        var admin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(admin, stock: 50, price: price);
        var now = DateTimeOffset.UtcNow;
        var created = await admin.PostAsJsonAsync("/api/flash/sales", Sale(sku, now.AddMinutes(-1), now.AddHours(1)));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return (admin, sku, id);
    }

    [Fact]
    public async Task The_listing_api_is_public_json_and_shows_a_new_sale_at_once()
    {
        var (admin, sku, saleId) = await LiveSaleAsync();
        using (admin)
        {
            using var anonymous = factory.AnonymousApi();
            var response = await anonymous.GetAsync("/api/flash/products");

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var sale = json.RootElement.GetProperty("sales").EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == saleId);
            sale.GetProperty("state").GetString().ShouldBe("Live");
            var product = sale.GetProperty("products").EnumerateArray().Single();
            product.GetProperty("sku").GetString().ShouldBe(sku);
            product.GetProperty("flashPrice").GetDecimal().ShouldBe(7.5m);
            product.GetProperty("regularPrice").GetDecimal().ShouldBe(10m);
            product.GetProperty("percentOff").GetInt32().ShouldBe(25);
            product.GetProperty("remainingLabel").GetString().ShouldBe("Only 25 or fewer left");
        }
    }

    [Fact]
    public async Task The_listing_page_renders_prices_countdown_and_an_add_to_cart_form_without_inline_script()
    {
        var (admin, sku, _) = await LiveSaleAsync();
        using (admin)
        {
            using var browser = await factory.SignedInBrowserAsync(Users.Customer);
            var response = await browser.GetAsync("/flash/products");
            var html = await response.Content.ReadAsStringAsync();

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            html.ShouldContain($"data-sku=\"{sku}\"");
            html.ShouldContain("$7.50");
            html.ShouldContain("<s class=\"muted\">$10.00</s>");
            html.ShouldContain("class=\"countdown\"");
            html.ShouldContain("/js/flash.js");
            html.ShouldNotContain("<script>");
            html.ShouldContain($"<input type=\"hidden\" name=\"sku\" value=\"{sku}\" />");
            html.ShouldContain("name=\"__RequestVerificationToken\"");
            html.ShouldNotContain("Sign in to buy");
        }
    }

    [Fact]
    public async Task A_discount_that_rounds_to_no_whole_percent_is_not_advertised_as_minus_0_percent()
    {
        using var admin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(admin, stock: 50, price: 10m);
        var now = DateTimeOffset.UtcNow;
        var created = await admin.PostAsJsonAsync("/api/flash/sales", Sale(sku, now.AddMinutes(-1), now.AddHours(1), flashPrice: 9.99m));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        using var browser = await factory.SignedInBrowserAsync(Users.Customer);

        var html = await browser.GetStringAsync("/flash/products");

        var card = Regex.Match(html, $"<article[^>]*data-sku=\"{sku}\"[^>]*>(.*?)</article>", RegexOptions.Singleline);
        card.Success.ShouldBeTrue();
        var text = Html.Text(card.Groups[1].Value);
        text.ShouldContain("$9.99");
        text.ShouldContain("$10.00");
        text.ShouldNotContain("−0%", customMessage: "a 0.1% discount was badged as minus nothing");
    }

    [Fact]
    public async Task A_visitor_sees_the_sale_with_a_sign_in_link_and_no_form_or_antiforgery_cookie()
    {
        var (admin, sku, _) = await LiveSaleAsync();
        using (admin)
        {
            using var browser = factory.Browser();
            var response = await browser.GetAsync("/flash/products");
            var html = await response.Content.ReadAsStringAsync();

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            html.ShouldContain($"data-sku=\"{sku}\"");
            html.ShouldContain("$7.50");
            html.ShouldContain("href=\"/Identity/Login?ReturnUrl=%2Fflash%2Fproducts\">Sign in to buy</a>");
            html.ShouldNotContain("__RequestVerificationToken");
            response.Headers.TryGetValues("Set-Cookie", out var cookies);
            (cookies ?? []).ShouldNotContain(c => c.Contains("Antiforgery", StringComparison.OrdinalIgnoreCase));

            // The link leads to the sign-in form, which carries the way back to the sale.
            var login = await browser.GetAsync("/Identity/Login?ReturnUrl=%2Fflash%2Fproducts");
            login.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await login.Content.ReadAsStringAsync()).ShouldContain("value=\"/flash/products\"");
        }
    }

    [Fact]
    public async Task A_customer_checks_out_at_the_flash_price_and_the_sku_limit_answers_429_with_retry_after()
    {
        var (admin, sku, saleId) = await LiveSaleAsync();
        using (admin)
        {
            var email = await CheckoutLoad.RegisterAsync(factory, "flash");
            using var customer = await CheckoutLoad.LoginAsync(factory, email);

            var first = await CheckoutLoad.CheckoutAsync(customer.Client, sku);
            first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
            using (var order = JsonDocument.Parse(await first.Content.ReadAsStringAsync()))
            {
                order.RootElement.GetProperty("order").GetProperty("lines")[0].GetProperty("unitPrice").GetDecimal().ShouldBe(7.5m);
            }

            (await CheckoutLoad.CheckoutAsync(customer.Client, sku)).StatusCode.ShouldBe(HttpStatusCode.Created);
            var third = await CheckoutLoad.CheckoutAsync(customer.Client, sku);

            third.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            var retryAfter = third.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
            retryAfter.ShouldBeInRange(55, 60);
            using var problem = JsonDocument.Parse(await third.Content.ReadAsStringAsync());
            problem.RootElement.GetProperty("detail").GetString()!.ShouldStartWith("Too many requests. Please wait and try again.");

            var panel = await admin.GetFromJsonAsync<JsonElement>($"/api/flash/sales/{saleId}");
            panel.GetProperty("rateLimited").GetInt64().ShouldBe(1);
            panel.GetProperty("items")[0].GetProperty("sold").GetInt32().ShouldBe(2);
        }
    }

    [Fact]
    public async Task Sale_management_needs_a_catalog_admin_and_bad_input_is_a_validation_problem()
    {
        using var anonymous = factory.AnonymousApi();
        (await anonymous.GetAsync("/api/flash/sales")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var customer = await factory.ApiClientAsync(Users.Customer);
        (await customer.PostAsJsonAsync("/api/flash/sales", Sale("EL-0001", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1))))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var admin = await factory.ApiClientAsync(Users.Catalog);
        var now = DateTimeOffset.UtcNow;
        var bad = await admin.PostAsJsonAsync("/api/flash/sales", Sale("EL-0001", now, now.AddHours(-1), flashPrice: null, percentOff: 120, allocation: 0));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        bad.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("EndsAt", out _).ShouldBeTrue(errors.ToString());

        (await admin.GetAsync($"/api/flash/sales/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var customerBrowser = await factory.SignedInBrowserAsync(Users.Customer);
        var page = await customerBrowser.GetAsync("/admin/flash-sales");
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.RedirectTarget().AbsolutePath.ShouldBe("/Identity/AccessDenied");
    }

    [Fact]
    public async Task The_admin_pages_list_create_and_show_the_live_panel()
    {
        var (admin, sku, _) = await LiveSaleAsync();
        admin.Dispose();
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        var created = await AppClient.PostFormAsync(browser, "/admin/flash-sales/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Page-made sale",
            ["Input.StartsAt"] = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm"),
            ["Input.EndsAt"] = DateTime.UtcNow.AddDays(1).AddHours(3).ToString("yyyy-MM-ddTHH:mm"),
            ["Input.Products"] = $"{sku}, 15%, 10, 1",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await created.Content.ReadAsStringAsync()));
        var live = await browser.GetStringAsync(created.RedirectTarget().OriginalString);
        live.ShouldContain("Page-made sale");
        live.ShouldContain("/js/flash-live.js");
        live.ShouldContain("(15%)");

        var list = await browser.GetStringAsync("/admin/flash-sales");
        list.ShouldContain("Page-made sale");
        list.ShouldContain("Upcoming");

        var unreadable = await AppClient.PostFormAsync(browser, "/admin/flash-sales/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Broken",
            ["Input.StartsAt"] = "2026-12-01T10:00",
            ["Input.EndsAt"] = "2026-12-01T12:00",
            ["Input.Products"] = $"{sku}, cheap, 10, 1\nNOPE",
        });
        unreadable.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = Html.Text(await unreadable.Content.ReadAsStringAsync());
        text.ShouldContain("Line 1: 'cheap' is neither a price (19.99) nor a percentage (25%).");
        text.ShouldContain("Line 2: write SKU, price or percent, allocation, cap");
    }

    [Fact]
    public async Task The_admin_list_of_sales_is_searchable_and_paged()
    {
        // SPEC U: lists are paged and searchable. The list showed every sale ever made on one page, with no search box.
        var (admin, sku, saleId) = await LiveSaleAsync();
        using (admin)
        {
            using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

            var found = await browser.GetStringAsync($"/admin/flash-sales?search={sku.ToLowerInvariant()}");
            var none = await browser.GetStringAsync("/admin/flash-sales?search=no-such-sale-anywhere");
            var badPage = await browser.GetAsync("/admin/flash-sales?page=0");
            var api = await admin.GetFromJsonAsync<JsonElement>($"/api/flash/sales?search={sku}&pageSize=5");

            Regex.Matches(found, "data-sale-id=\"").Count.ShouldBe(1);
            found.ShouldContain($"data-sale-id=\"{saleId}\"");
            found.ShouldContain($"value=\"{sku.ToLowerInvariant()}\"", customMessage: "the search box keeps the search");
            Html.ElementText(none, "no-flash-sales").ShouldBe("No flash sales match your search.");
            badPage.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            Html.Text(await badPage.Content.ReadAsStringAsync()).ShouldContain("Reference:");
            api.GetProperty("totalCount").GetInt32().ShouldBe(1);
            api.GetProperty("pageSize").GetInt32().ShouldBe(5);
            api.GetProperty("items")[0].GetProperty("id").GetGuid().ShouldBe(saleId);
        }
    }

    [Fact]
    public async Task The_new_sale_page_shows_every_refused_product_instead_of_crashing()
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        var refused = await AppClient.PostFormAsync(browser, "/admin/flash-sales/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Two unknown products",
            ["Input.StartsAt"] = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-ddTHH:mm"),
            ["Input.EndsAt"] = DateTime.UtcNow.AddDays(2).AddHours(3).ToString("yyyy-MM-ddTHH:mm"),
            ["Input.Products"] = "NOPE-0001, 5, 10, 1\nNOPE-0002, 5, 10, 1",
        });

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = Html.Text(await refused.Content.ReadAsStringAsync());
        text.ShouldContain("Line 1: There is no product with SKU NOPE-0001.");
        text.ShouldContain("Line 2: There is no product with SKU NOPE-0002.");
    }

    [Fact]
    public async Task A_refused_product_is_named_by_its_line_in_the_box_even_after_blank_lines()
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        // Blank lines are skipped when reading the box: the second product sits on line 4, and "Product 2" sent the admin
        // to line 2, which is empty.
        var refused = await AppClient.PostFormAsync(browser, "/admin/flash-sales/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Gaps between products",
            ["Input.StartsAt"] = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-ddTHH:mm"),
            ["Input.EndsAt"] = DateTime.UtcNow.AddDays(3).AddHours(3).ToString("yyyy-MM-ddTHH:mm"),
            ["Input.Products"] = "NOPE-0003, 5, 10, 1\n\n\nNOPE-0004, 5, 10, 1",
        });

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = Html.Text(await refused.Content.ReadAsStringAsync());
        text.ShouldContain("Line 1: There is no product with SKU NOPE-0003.");
        text.ShouldContain("Line 4: There is no product with SKU NOPE-0004.");
    }

    [Fact]
    public async Task The_edit_page_refuses_an_allocation_below_the_units_sold_with_a_message_instead_of_the_error_page()
    {
        var (admin, sku, saleId) = await LiveSaleAsync();
        using (admin)
        {
            var email = await CheckoutLoad.RegisterAsync(factory, "flash-edit");
            using var customer = await CheckoutLoad.LoginAsync(factory, email);
            (await CheckoutLoad.CheckoutAsync(customer.Client, sku)).StatusCode.ShouldBe(HttpStatusCode.Created);
            (await CheckoutLoad.CheckoutAsync(customer.Client, sku)).StatusCode.ShouldBe(HttpStatusCode.Created);
            using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

            var refused = await AppClient.PostFormAsync(browser, $"/admin/flash-sales/{saleId}/edit", new Dictionary<string, string>
            {
                ["Input.Name"] = "Deals " + sku,
                ["Input.StartsAt"] = DateTime.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm"),
                ["Input.EndsAt"] = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm"),
                ["Input.Products"] = $"{sku}, 7.5, 1, 1",
            });

            refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
            Html.Text(await refused.Content.ReadAsStringAsync())
                .ShouldContain("A product that already sold units stays in the sale with an allocation of at least what it sold.");
            var panel = await admin.GetFromJsonAsync<JsonElement>($"/api/flash/sales/{saleId}");
            panel.GetProperty("items")[0].GetProperty("allocation").GetInt32().ShouldBe(20);
        }
    }

    [Fact]
    public async Task Two_admins_edit_one_sale_the_second_save_is_refused_with_reload_and_the_first_admins_changes_stay()
    {
        var (admin, sku, saleId) = await LiveSaleAsync();
        using (admin)
        {
            using var first = await factory.SignedInBrowserAsync(Users.Catalog);
            using var second = await factory.SignedInBrowserAsync(Users.Catalog);
            var firstForm = await EditFormAsync(first, saleId);
            var secondForm = await EditFormAsync(second, saleId);
            firstForm.Version.ShouldBe(secondForm.Version);

            var saved = await first.PostAsync($"/admin/flash-sales/{saleId}/edit", EditFields(firstForm, "First admin's name", sku, "6.5, 20, 2"));
            saved.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await saved.Content.ReadAsStringAsync()));
            var stale = await second.PostAsync($"/admin/flash-sales/{saleId}/edit", EditFields(secondForm, "Second admin's name", sku, "5, 15, 1"));

            stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            var html = await stale.Content.ReadAsStringAsync();
            Html.Text(html).ShouldContain("This flash sale was changed by someone else meanwhile. Please reload it and try again.");
            html.ShouldNotContain("Flash sale saved.");
            var panel = await admin.GetFromJsonAsync<JsonElement>($"/api/flash/sales/{saleId}");
            panel.GetProperty("name").GetString().ShouldBe("First admin's name");
            panel.GetProperty("items")[0].GetProperty("flashPrice").GetDecimal().ShouldBe(6.5m);
            panel.GetProperty("items")[0].GetProperty("allocation").GetInt32().ShouldBe(20);

            // Reloading shows the first admin's save with its version: the second admin's save then goes through.
            var reloaded = await EditFormAsync(second, saleId);
            reloaded.Version.ShouldBe(firstForm.Version + 1);
            (await second.PostAsync($"/admin/flash-sales/{saleId}/edit", EditFields(reloaded, "Second admin's name", sku, "5, 15, 1")))
                .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }
    }

    [Fact]
    public async Task An_api_update_with_a_stale_version_is_a_409_problem_and_changes_nothing()
    {
        var (admin, sku, saleId) = await LiveSaleAsync();
        using (admin)
        {
            var read = await admin.GetFromJsonAsync<JsonElement>($"/api/flash/sales/{saleId}");
            var version = read.GetProperty("version").GetInt32();
            var now = DateTimeOffset.UtcNow;
            var body = (string name, int v) => new
            {
                name,
                startsAt = now.AddMinutes(-1),
                endsAt = now.AddHours(2),
                items = new[] { new { sku, flashPrice = (decimal?)7m, percentOff = (int?)null, allocation = 20, perCustomerCap = 2 } },
                version = v,
            };

            (await admin.PutAsJsonAsync($"/api/flash/sales/{saleId}", body("Saved first", version))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            var stale = await admin.PutAsJsonAsync($"/api/flash/sales/{saleId}", body("Saved over it", version));

            stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            stale.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            var problem = await stale.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("code").GetString().ShouldBe("flash.sale_changed");
            problem.GetProperty("detail").GetString().ShouldBe("This flash sale was changed by someone else meanwhile. Please reload it and try again.");
            var after = await admin.GetFromJsonAsync<JsonElement>($"/api/flash/sales/{saleId}");
            after.GetProperty("name").GetString().ShouldBe("Saved first");
            after.GetProperty("version").GetInt32().ShouldBe(version + 1);
        }
    }

    [Fact]
    public async Task A_sale_overlapping_another_is_a_409_problem_naming_the_product_under_errors()
    {
        var (admin, sku, _) = await LiveSaleAsync();
        using (admin)
        {
            var now = DateTimeOffset.UtcNow;
            var response = await admin.PostAsJsonAsync("/api/flash/sales", new
            {
                name = "Second sale",
                startsAt = now.AddMinutes(5),
                endsAt = now.AddHours(1),
                items = new[] { new { sku, flashPrice = (decimal?)6m, percentOff = (int?)null, allocation = 5, perCustomerCap = 1 } },
            });

            // The refusal is keyed by the item's field: a script sending several products learns which one clashes.
            response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("code").GetString().ShouldBe("flash.sale_overlap");
            problem.GetProperty("errors").GetProperty("Items[0].Sku")[0].GetString()!.ShouldStartWith($"{sku} is already in the flash sale");
        }
    }

    private sealed record EditForm(string Token, int Version, string StartsAt, string EndsAt);

    private static async Task<EditForm> EditFormAsync(HttpClient browser, Guid saleId)
    {
        var page = await browser.GetAsync($"/admin/flash-sales/{saleId}/edit");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        string ValueOf(string name) =>
            WebUtility.HtmlDecode(Regex.Match(html, "<input[^>]*name=\"" + Regex.Escape(name) + "\"[^>]*value=\"([^\"]*)\"").Groups[1].Value);
        var version = ValueOf("Input.Version");
        version.ShouldNotBeNullOrEmpty("the edit form carries the sale's version");
        return new EditForm(Html.AntiforgeryToken(html), int.Parse(version, System.Globalization.CultureInfo.InvariantCulture), ValueOf("Input.StartsAt"), ValueOf("Input.EndsAt"));
    }

    private static FormUrlEncodedContent EditFields(EditForm form, string name, string sku, string priceAllocationCap) => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = form.Token,
        ["Input.Version"] = form.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Input.Name"] = name,
        ["Input.StartsAt"] = form.StartsAt,
        ["Input.EndsAt"] = form.EndsAt,
        ["Input.Products"] = $"{sku}, {priceAllocationCap}",
    });

    [Fact]
    public async Task Switched_off_the_page_says_so_and_the_api_answers_503_problem_details()
    {
        using var admin = await factory.ApiClientAsync(Users.Admin);
        using var customer = await factory.ApiClientAsync(Users.Customer);
        (await customer.PutAsJsonAsync("/api/admin/features/flash-sales", new { enabled = false })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var off = await admin.PutAsJsonAsync("/api/admin/features/flash-sales", new { enabled = false });
        try
        {
            off.StatusCode.ShouldBe(HttpStatusCode.OK, await off.Content.ReadAsStringAsync());
            (await off.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean().ShouldBeFalse();

            using var anonymous = factory.AnonymousApi();
            var api = await anonymous.GetAsync("/api/flash/products");
            api.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            api.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()
                .ShouldBe("Flash sales are not available right now. Please check back later.");

            using var browser = factory.Browser();
            var page = await browser.GetAsync("/flash/products");
            page.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            Html.ElementText(await page.Content.ReadAsStringAsync(), "flash-unavailable").ShouldBe("Flash sales are not available right now. Please check back later.");
        }
        finally
        {
            (await admin.PutAsJsonAsync("/api/admin/features/flash-sales", new { enabled = true })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await factory.AnonymousApi().GetAsync("/api/flash/products")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PutAsJsonAsync("/api/admin/features/no-such-feature", new { enabled = true })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var features = await admin.GetFromJsonAsync<JsonElement>("/api/admin/features");
        features.EnumerateArray().Select(f => f.GetProperty("name").GetString()).ShouldContain("flash-sales");
    }
}
