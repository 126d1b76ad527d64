using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Modules.Identity.Infrastructure.Persistence;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Host.FunctionalTests;

/// <summary>Checkout input at its edges (store credit, addresses, the page's hidden fields), through the API and the page.</summary>
public sealed partial class OrderingCheckoutInputTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    private static object Body(string sku, decimal storeCredit = 0m, object? address = null, string paymentMethod = "card") => new
    {
        items = new[] { new { sku, quantity = 1 } },
        shippingAddress = address ?? new { name = "Ann", line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US" },
        paymentMethod,
        paymentDetails = new Dictionary<string, string> { ["cardNumber"] = CheckoutLoad.PayingCard, ["expiry"] = "12/30" },
        storeCredit,
    };

    private static async Task<HttpResponseMessage> CheckoutAsync(HttpClient client, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return await client.SendAsync(request);
    }

    private static async Task<int> OrderCountAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/orders")).GetProperty("totalCount").GetInt32();

    private static async Task<decimal> BalanceAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/payments/store-credit")).GetProperty("balance").GetDecimal();

    private static async Task<string> CodeOfAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("code").GetString() ?? "";
    }

    /// <summary>Store credit as a return would issue it (Payments' own command; there is no HTTP route to give credit).</summary>
    private async Task IssueStoreCreditAsync(string email, decimal amount)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<RetailUser>>().FindByEmailAsync(email);
        user.ShouldNotBeNull();
        var issued = await scope.ServiceProvider.GetRequiredService<IRequestSender>()
            .Send(new IssueStoreCredit(user.Id, amount, "goodwill", "test", Guid.NewGuid().ToString("N")));
        issued.IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task Store_credit_above_the_balance_is_refused_before_any_order_and_the_balance_itself_pays()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 20m);
        using var customer = (await CheckoutLoad.RegisterCustomersAsync(factory, 1, "credit"))[0];
        await IssueStoreCreditAsync(customer.Email, 5m);

        // Was: the order was stored, the debit declined, the order cancelled with its e-mail, and the customer read
        // "Payment could not be processed. Please try again or use a different payment method." about a card that was fine.
        var over = await CheckoutAsync(customer.Client, Body(sku, storeCredit: 5.01m));

        over.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await over.Content.ReadAsStringAsync());
        (await CodeOfAsync(over)).ShouldBe("ordering.store_credit_exceeds_balance");
        (await over.Content.ReadAsStringAsync()).ShouldContain("5.00");
        (await OrderCountAsync(customer.Client)).ShouldBe(0, "nothing is stored for a refused checkout");
        (await CatalogApi.GetProductAsync(customer.Client, sku)).Stock.ShouldBe(5);

        var exact = await CheckoutAsync(customer.Client, Body(sku, storeCredit: 5m));

        exact.StatusCode.ShouldBe(HttpStatusCode.Created, await exact.Content.ReadAsStringAsync());
        using var placed = JsonDocument.Parse(await exact.Content.ReadAsStringAsync());
        placed.RootElement.GetProperty("order").GetProperty("storeCreditAmount").GetDecimal().ShouldBe(5m);
        (await BalanceAsync(customer.Client)).ShouldBe(0m);
    }

    [Fact]
    public async Task Store_credit_above_the_balance_on_the_checkout_page_is_shown_beside_the_field_and_places_no_order()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 20m);
        using var browser = await factory.SignedInBrowserAsync(Users.Customer2);
        using var api = await factory.ApiClientAsync(Users.Customer2);
        var before = await OrderCountAsync(api);
        var balance = await BalanceAsync(api);
        (await OrderingPages.AddToCartAsync(browser, sku)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var fields = OrderingPages.CheckoutFields(await browser.GetStringAsync("/checkout"));
        fields["Input.StoreCredit"] = (balance + 1m).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var response = await browser.PostAsync("/checkout", new FormUrlEncodedContent(fields));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var html = await response.Content.ReadAsStringAsync();
        Html.FieldError(html, "Input.StoreCredit").ShouldContain("store credit");
        Html.Text(html).ShouldNotContain(Retail.BuildingBlocks.Application.UserMessages.PaymentFailed);
        html.ShouldContain("Reference:");
        (await OrderCountAsync(api)).ShouldBe(before);
        (await CatalogApi.GetProductAsync(api, sku)).Stock.ShouldBe(5);
    }
    [Fact]
    public async Task Paying_with_store_credit_as_the_method_and_a_store_credit_part_is_a_validation_error_not_a_declined_order()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 20m);
        using var customer = (await CheckoutLoad.RegisterCustomersAsync(factory, 1, "credit-method"))[0];
        await IssueStoreCreditAsync(customer.Email, 50m);

        // Both parts were charged under the one key order-{id}:store-credit; Payments refused the second as a reused key,
        // so an order was stored, cancelled as "declined" and mailed about, though the balance covered it twice over.
        var both = await CheckoutAsync(customer.Client, Body(sku, storeCredit: 5m, paymentMethod: "store-credit"));

        both.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await both.Content.ReadAsStringAsync());
        using (var problem = JsonDocument.Parse(await both.Content.ReadAsStringAsync()))
        {
            problem.RootElement.GetProperty("errors").TryGetProperty("PaymentMethod", out _).ShouldBeTrue();
        }

        (await OrderCountAsync(customer.Client)).ShouldBe(0);
        (await BalanceAsync(customer.Client)).ShouldBe(50m);

        var whole = await CheckoutAsync(customer.Client, Body(sku, paymentMethod: "store-credit"));

        whole.StatusCode.ShouldBe(HttpStatusCode.Created, await whole.Content.ReadAsStringAsync());
        (await BalanceAsync(customer.Client)).ShouldBe(30m);
    }

    [Fact]
    public async Task The_order_page_of_an_order_paid_partly_with_store_credit_shows_what_each_part_paid_and_it_adds_up()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 20m);
        var (browser, customer) = await NewCustomerAsync("split-page");
        using var _ = browser;
        using var __ = customer;
        await IssueStoreCreditAsync(customer.Email, 5m);
        var placed = await CheckoutAsync(customer.Client, Body(sku, storeCredit: 5m));
        placed.StatusCode.ShouldBe(HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());

        var html = await browser.GetStringAsync($"/orders/{await OrderingPages.OrderIdOfAsync(placed)}");

        // Was "Subtotal: $20.00 · Store credit: −$5.00 · Total: $20.00": a minus that the total did not take, and nowhere
        // the $15.00 the card was charged.
        Html.ElementText(html, "order-total").ShouldBe("$20.00");
        Html.ElementText(html, "order-payment").ShouldBe("Paid with: Store credit $5.00 + Credit or debit card $15.00");
        Html.Text(html).ShouldNotContain("−$5.00");
    }

    [Fact]
    public async Task The_order_page_of_a_declined_order_that_used_store_credit_says_nothing_was_charged_and_the_credit_is_back()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 20m);
        var (browser, customer) = await NewCustomerAsync("declined-page");
        using var _ = browser;
        using var __ = customer;
        await IssueStoreCreditAsync(customer.Email, 5m);
        var body = new
        {
            items = new[] { new { sku, quantity = 1 } },
            shippingAddress = new { name = "Ann", line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US" },
            paymentMethod = "card",
            paymentDetails = new Dictionary<string, string> { ["cardNumber"] = "4000000000000002", ["expiry"] = "12/30" },
            storeCredit = 5m,
        };
        (await CheckoutAsync(customer.Client, body)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var orderId = (await customer.Client.GetFromJsonAsync<JsonElement>("/api/orders")).GetProperty("items")[0].GetProperty("id").GetGuid();

        var html = await browser.GetStringAsync($"/orders/{orderId}");

        // Was "Store credit: −$5.00" on a cancelled order, with no word on whether the credit or the card was charged.
        Html.ElementText(html, "order-status").ShouldBe("Cancelled");
        Html.ElementText(html, "order-payment").ShouldBe("Nothing was charged for this order. The store credit it used ($5.00) is returned to your balance.");
        (await BalanceAsync(customer.Client)).ShouldBe(5m);
    }

    [Fact]
    public async Task The_order_page_of_an_order_paid_by_one_method_names_it_with_the_whole_total()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 20m);
        var (browser, customer) = await NewCustomerAsync("one-method-page");
        using var _ = browser;
        using var __ = customer;
        var placed = await CheckoutAsync(customer.Client, Body(sku));
        placed.StatusCode.ShouldBe(HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());

        var html = await browser.GetStringAsync($"/orders/{await OrderingPages.OrderIdOfAsync(placed)}");

        Html.ElementText(html, "order-payment").ShouldBe("Paid with: Credit or debit card $20.00");
    }

    [Fact]
    public async Task Control_characters_in_the_shipping_address_are_field_errors_and_store_nothing()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5);
        using var customer = await factory.ApiClientAsync(Users.Customer);
        var before = await OrderCountAsync(customer);
        var address = new { name = "Ann\u0000Page", line1 = "1 Main St\r\nSecond line", line2 = "Flat\u001b[2J", city = "Springfield", postalCode = "12\t345", country = "US" };

        var response = await CheckoutAsync(customer, Body(sku, address: address));

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        using var problem = JsonDocument.Parse(body);
        var errors = problem.RootElement.GetProperty("errors");
        foreach (var field in new[] { "ShippingAddress.Name", "ShippingAddress.Line1", "ShippingAddress.Line2", "ShippingAddress.PostalCode" })
        {
            errors.TryGetProperty(field, out var messages).ShouldBeTrue(field);
            (messages[0].GetString() ?? "").ShouldContain("control characters");
        }

        errors.TryGetProperty("ShippingAddress.City", out _).ShouldBeFalse();
        (await OrderCountAsync(customer)).ShouldBe(before);
        (await CatalogApi.GetProductAsync(customer, sku)).Stock.ShouldBe(5);
    }
    [Fact]
    public async Task An_emptied_store_credit_field_on_the_checkout_page_means_none_and_places_the_order()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 9m);
        using var browser = await factory.SignedInBrowserAsync(Users.Customer2);
        (await OrderingPages.AddToCartAsync(browser, sku)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var fields = OrderingPages.CheckoutFields(await browser.GetStringAsync("/checkout"));
        // What a browser sends when the customer clears the "0" in the number field: was a 400 "The value '' is invalid."
        fields["Input.StoreCredit"] = "";

        var placed = await browser.PostAsync("/checkout", new FormUrlEncodedContent(fields));

        placed.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await placed.Content.ReadAsStringAsync()));
        var order = await browser.GetStringAsync(placed.RedirectTarget().AbsolutePath);
        Html.ElementText(order, "order-status").ShouldBe("Paid");
        (await CatalogApi.GetProductAsync(browser, sku)).Stock.ShouldBe(4);
    }

    /// <summary>A customer of its own (browser and API), so a cart left with an unavailable item or the checkout rate limit cannot reach other tests.</summary>
    private async Task<(HttpClient Browser, ApiCustomer Api)> NewCustomerAsync(string prefix)
    {
        var email = await CheckoutLoad.RegisterAsync(factory, prefix);
        var browser = factory.Browser();
        await AppClient.LoginAsync(browser, email, CheckoutLoad.Password);
        return (browser, await CheckoutLoad.LoginAsync(factory, email));
    }

    [Theory]
    [InlineData("Input.Items[0].Quantity")]
    [InlineData("Input.ExpectedPrices[{sku}]")]
    public async Task A_hidden_checkout_field_that_does_not_bind_is_a_400_naming_the_value_and_places_no_order(string field)
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 9m);
        var (browser, customer) = await NewCustomerAsync("tampered");
        using var _ = browser;
        using var __ = customer;
        var api = customer.Client;
        var before = await OrderCountAsync(api);
        (await OrderingPages.AddToCartAsync(browser, sku)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var fields = OrderingPages.CheckoutFields(await browser.GetStringAsync("/checkout"));
        // A tampered form: was a bare 400 page with no message at all.
        fields[field.Replace("{sku}", sku, StringComparison.Ordinal)] = "abc";

        var response = await browser.PostAsync("/checkout", new FormUrlEncodedContent(fields));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        Html.ShouldNotLeakExceptionDetails(html);
        var text = Html.Text(html);
        text.ShouldContain("The value 'abc' is not valid", customMessage: "the message names the bad value");
        text.ShouldContain("Reference:");
        (await OrderCountAsync(api)).ShouldBe(before, "nothing is ordered");
        (await CatalogApi.GetProductAsync(api, sku)).Stock.ShouldBe(5);
    }

    [Theory]
    [InlineData("deactivated", HttpStatusCode.UnprocessableEntity)]
    [InlineData("sold-out", HttpStatusCode.Conflict)]
    public async Task An_item_that_became_unavailable_meanwhile_is_named_on_its_line_of_the_checkout_page_and_nothing_is_ordered(string meanwhile, HttpStatusCode expected)
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var kept = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 4m, name: "Kept Kettle");
        var (goneSku, goneName) = await CatalogApi.CreateNamedProductAsync(catalogAdmin, "Gone <Teapot> & Co");
        var (browser, customer) = await NewCustomerAsync(meanwhile);
        using var _ = browser;
        using var __ = customer;
        var before = await OrderCountAsync(customer.Client);
        (await OrderingPages.AddToCartAsync(browser, kept)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await OrderingPages.AddToCartAsync(browser, goneSku)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var fields = OrderingPages.CheckoutFields(await browser.GetStringAsync("/checkout"));
        // While the customer fills in the form, the product is deactivated (422) or its last units sell (409).
        if (meanwhile == "deactivated")
        {
            var deactivated = await catalogAdmin.PutAsJsonAsync($"/api/catalog/products/{goneSku}", new
            {
                sku = goneSku, name = goneName, description = "Created by a functional test.", category = "garden", price = 6m, initialStock = 5,
                imageUrls = new[] { "/img/products/placeholder.svg" }, isActive = false,
            });
            deactivated.StatusCode.ShouldBe(HttpStatusCode.NoContent, await deactivated.Content.ReadAsStringAsync());
        }
        else
        {
            await CheckoutLoad.SetStockAsync(catalogAdmin, goneSku, 0);
        }

        var response = await browser.PostAsync("/checkout", new FormUrlEncodedContent(fields));

        response.StatusCode.ShouldBe(expected);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Reference:");
        // Was: only "This item is no longer available." at the top, with two items in the summary and no word of which.
        var rows = Html.TableRows(html);
        rows.Single(r => r.Contains(goneName, StringComparison.Ordinal)).ShouldContain(Retail.BuildingBlocks.Application.UserMessages.OutOfStock);
        rows.Single(r => r.Contains("Kept Kettle", StringComparison.Ordinal)).ShouldNotContain(Retail.BuildingBlocks.Application.UserMessages.OutOfStock);
        html.ShouldNotContain("<Teapot>", customMessage: "the name is HTML-encoded");
        (await OrderCountAsync(customer.Client)).ShouldBe(before, "nothing is ordered");
        (await CatalogApi.GetProductAsync(catalogAdmin, kept)).Stock.ShouldBe(5);
    }

    [Fact]
    public async Task An_item_removed_from_the_cart_in_another_tab_is_named_and_nothing_is_ordered_until_the_customer_confirms_the_rest()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var kept = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 4m, name: "Kept Kettle");
        var (removedSku, removedName) = await CatalogApi.CreateNamedProductAsync(catalogAdmin, "Removed Radio");
        var (browser, customer) = await NewCustomerAsync("other-tab");
        using var _ = browser;
        using var __ = customer;
        (await OrderingPages.AddToCartAsync(browser, kept)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await OrderingPages.AddToCartAsync(browser, removedSku)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var fields = OrderingPages.CheckoutFields(await browser.GetStringAsync("/checkout"));
        // Another tab: the customer takes the radio out of the cart while this checkout form is still open.
        var cart = await browser.GetStringAsync("/cart");
        (await browser.PostAsync("/cart?handler=Remove", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["sku"] = removedSku,
            ["__RequestVerificationToken"] = Html.AntiforgeryToken(cart),
        }))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var response = await browser.PostAsync("/checkout", new FormUrlEncodedContent(fields));

        // Was: the order was placed and charged for both, the radio included, with no word that it had left the cart.
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict, Html.Text(html));
        Html.Text(html).ShouldContain($"{removedName} is no longer in your cart");
        html.ShouldContain("Reference:");
        (await OrderCountAsync(customer.Client)).ShouldBe(0, "nothing is ordered");
        (await CatalogApi.GetProductAsync(catalogAdmin, removedSku)).Stock.ShouldBe(5);
        (await CatalogApi.GetProductAsync(catalogAdmin, kept)).Stock.ShouldBe(5);

        // The page now shows (and sends) the cart as it is: placing it orders the kettle alone.
        Html.ElementText(html, "order-summary").ShouldNotContain(removedName);
        var placed = await browser.PostAsync("/checkout", new FormUrlEncodedContent(OrderingPages.CheckoutFields(html)));
        placed.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await placed.Content.ReadAsStringAsync()));
        var order = Html.Text(await browser.GetStringAsync(placed.RedirectTarget().AbsolutePath));
        order.ShouldContain("Kept Kettle");
        order.ShouldNotContain(removedName);
        (await CatalogApi.GetProductAsync(catalogAdmin, removedSku)).Stock.ShouldBe(5);
    }

    [Fact]
    public async Task A_quantity_changed_in_the_cart_in_another_tab_is_named_and_nothing_is_ordered()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = CatalogApi.NewSku();
        var name = $"Counted Candle {sku}";
        await CatalogApi.CreateProductAsync(catalogAdmin, sku: sku, stock: 5, price: 3m, name: name);
        var (browser, customer) = await NewCustomerAsync("other-tab-qty");
        using var _ = browser;
        using var __ = customer;
        (await OrderingPages.AddToCartAsync(browser, sku, 2)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var fields = OrderingPages.CheckoutFields(await browser.GetStringAsync("/checkout"));
        var cart = await browser.GetStringAsync("/cart");
        (await browser.PostAsync("/cart?handler=Update", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["sku"] = sku,
            ["quantity"] = "1",
            ["__RequestVerificationToken"] = Html.AntiforgeryToken(cart),
        }))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var response = await browser.PostAsync("/checkout", new FormUrlEncodedContent(fields));

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict, Html.Text(html));
        Html.Text(html).ShouldContain($"{name} is now 1 in your cart, not 2");
        (await OrderCountAsync(customer.Client)).ShouldBe(0, "nothing is ordered");
        (await CatalogApi.GetProductAsync(catalogAdmin, sku)).Stock.ShouldBe(5);
    }

    [Fact]
    public async Task The_checkout_summary_lists_an_unavailable_line_at_nothing_so_its_lines_add_up_to_the_total_that_is_charged()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var kept = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 4m, name: "Kept Kettle");
        var (goneSku, goneName) = await CatalogApi.CreateNamedProductAsync(catalogAdmin, "Sold Out Samovar");
        var (browser, customer) = await NewCustomerAsync("summary");
        using var _ = browser;
        using var __ = customer;
        (await OrderingPages.AddToCartAsync(browser, kept)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await OrderingPages.AddToCartAsync(browser, goneSku)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await CheckoutLoad.SetStockAsync(catalogAdmin, goneSku, 0);

        var html = await browser.GetStringAsync("/checkout");

        // Was: the samovar's line showed $6.00 while the total, $4.00, left it out — the lines added up to $10.00.
        var rows = Html.TableRows(Summary().Match(html).Value);
        var listed = rows.Sum(r => decimal.Parse(MoneyAmount().Matches(r)[^1].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        var total = decimal.Parse(MoneyAmount().Match(Html.ElementText(html, "checkout-total")).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        listed.ShouldBe(total, string.Join(" | ", rows));
        total.ShouldBe(4m);
        var gone = rows.Single(r => r.Contains(goneName, StringComparison.Ordinal));
        gone.ShouldContain(Retail.BuildingBlocks.Application.UserMessages.OutOfStock);
        gone.ShouldContain("not included", Case.Insensitive);

        // And the total shown is what is charged: the form orders the kettle alone.
        var placed = await browser.PostAsync("/checkout", new FormUrlEncodedContent(OrderingPages.CheckoutFields(html)));
        placed.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await placed.Content.ReadAsStringAsync()));
        using var order = JsonDocument.Parse(await customer.Client.GetStringAsync($"/api/orders/{placed.RedirectTarget().AbsolutePath["/orders/".Length..]}"));
        order.RootElement.GetProperty("total").GetDecimal().ShouldBe(total);
        Html.Text(await browser.GetStringAsync("/cart")).ShouldContain(goneName, customMessage: "the line not ordered stays in the cart");
    }

    [Fact]
    public async Task When_nothing_in_the_cart_can_be_ordered_the_checkout_page_says_so_with_no_place_order_form()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var (goneSku, goneName) = await CatalogApi.CreateNamedProductAsync(catalogAdmin, "Gone Gramophone");
        var (browser, customer) = await NewCustomerAsync("nothing-orderable");
        using var _ = browser;
        using var __ = customer;
        (await OrderingPages.AddToCartAsync(browser, goneSku)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await CheckoutLoad.SetStockAsync(catalogAdmin, goneSku, 0);

        var html = await browser.GetStringAsync("/checkout");

        // Was: the form and its "Place order" button, answering "Add at least one item." about a cart with an item in it.
        Html.ElementText(html, "nothing-orderable").ShouldContain("Nothing in your cart can be ordered right now");
        html.ShouldContain("""href="/cart""");
        html.ShouldNotContain("id=\"place-order\"");
        html.ShouldNotContain("id=\"checkout-form\"");
        Html.ElementText(html, "order-summary").ShouldContain(goneName, customMessage: "the summary still says which item");

        // A POST anyway (an old tab, a script) still gets the friendly refusal and orders nothing.
        var fields = new Dictionary<string, string>(OrderingPages.Address)
        {
            ["Input.IdempotencyKey"] = Guid.NewGuid().ToString("N"),
            ["Input.PaymentMethod"] = "card",
            ["Input.Details[cardNumber]"] = CheckoutLoad.PayingCard,
            ["Input.Details[expiry]"] = "12/30",
            ["Input.StoreCredit"] = "0",
            ["__RequestVerificationToken"] = Html.AntiforgeryToken(await browser.GetStringAsync("/cart")),
        };
        var response = await browser.PostAsync("/checkout", new FormUrlEncodedContent(fields));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var posted = await response.Content.ReadAsStringAsync();
        Html.Text(posted).ShouldContain("Add at least one item.");
        posted.ShouldContain("Reference:");
        posted.ShouldNotContain("id=\"place-order\"");
        (await OrderCountAsync(customer.Client)).ShouldBe(0, "nothing is ordered");
    }

    [GeneratedRegex("""<aside[^>]*id="order-summary".*?</aside>""", RegexOptions.Singleline)]
    private static partial Regex Summary();

    [GeneratedRegex(@"\$([0-9,]*[0-9]\.[0-9]{2})")]
    private static partial Regex MoneyAmount();
}
