using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Retail.BuildingBlocks.Application;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>Ordering pages and API calls the page tests share.</summary>
internal static partial class OrderingPages
{
    public static readonly Dictionary<string, string> Address = new()
    {
        ["Input.ShippingAddress.Name"] = "Ann Page",
        ["Input.ShippingAddress.Line1"] = "1 Main St",
        ["Input.ShippingAddress.City"] = "Springfield",
        ["Input.ShippingAddress.PostalCode"] = "12345",
        ["Input.ShippingAddress.Country"] = "US",
    };

    public static object ApiBody(string sku, int quantity = 1) => new
    {
        items = new[] { new { sku, quantity } },
        shippingAddress = new { name = "Ann", line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US" },
        paymentMethod = "card",
        paymentDetails = new Dictionary<string, string> { ["cardNumber"] = "4242424242424242", ["expiry"] = "12/30" },
    };

    public static async Task<HttpResponseMessage> ApiCheckoutAsync(HttpClient client, string sku, int quantity = 1)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout") { Content = JsonContent.Create(ApiBody(sku, quantity)) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return await client.SendAsync(request);
    }

    public static async Task<Guid> OrderIdOfAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("order").GetProperty("id").GetGuid();
    }

    /// <summary>The value attribute of the input with the given id.</summary>
    public static string InputValue(string html, string id)
    {
        var input = Regex.Match(html, $"""<input[^>]*\bid="{Regex.Escape(id)}"[^>]*>""");
        input.Success.ShouldBeTrue($"the page has no input '{id}'");
        var value = ValueAttribute().Match(input.Value);
        return value.Success ? WebUtility.HtmlDecode(value.Groups[1].Value) : "";
    }

    /// <summary>Adds a product through the product page's form (with the page's antiforgery token).</summary>
    public static Task<HttpResponseMessage> AddToCartAsync(HttpClient browser, string sku, int quantity = 1) =>
        AppClient.PostFormAsync(browser, $"/catalog/product/{sku}", new Dictionary<string, string> { ["Input.Quantity"] = quantity.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>Fields of the checkout form as a browser sends them: the key the page generated, the address, a card.</summary>
    public static Dictionary<string, string> CheckoutFields(string checkoutHtml, string cardNumber = "4242424242424242")
    {
        var fields = new Dictionary<string, string>(Address)
        {
            ["Input.IdempotencyKey"] = InputValue(checkoutHtml, "Input_IdempotencyKey"),
            ["Input.PaymentMethod"] = "card",
            ["Input.Details[cardNumber]"] = cardNumber,
            ["Input.Details[expiry]"] = "12/30",
            ["Input.StoreCredit"] = "0",
            ["__RequestVerificationToken"] = Html.AntiforgeryToken(checkoutHtml),
        };
        foreach (Match item in ItemInput().Matches(checkoutHtml))
        {
            fields[item.Groups[1].Value] = WebUtility.HtmlDecode(item.Groups[2].Value);
        }

        return fields;
    }

    [GeneratedRegex("""<input type="hidden" name="(Input\.Items\[\d+\]\.\w+)" value="([^"]*)" />""")]
    private static partial Regex ItemInput();

    [GeneratedRegex("""\bvalue="([^"]*)""")]
    private static partial Regex ValueAttribute();
}

/// <summary>Cart, checkout, order history and the warehouse queue through the pages (issue 3, SPEC S3/S4/U1).</summary>
public sealed class OrderingPagesTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Fact]
    public async Task Anonymous_visitors_see_sign_in_to_buy_and_signed_in_users_add_to_the_cart_through_the_product_form()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 7.50m);
        using var anonymous = factory.Browser();
        var anonymousHtml = await anonymous.GetStringAsync($"/catalog/product/{sku}");
        anonymousHtml.ShouldContain("Sign in to buy");
        anonymousHtml.ShouldContain($"/Identity/Login?ReturnUrl={Uri.EscapeDataString($"/catalog/product/{sku}")}");
        anonymousHtml.ShouldNotContain("id=\"add-to-cart\"");

        using var browser = await factory.SignedInBrowserAsync(Users.Customer2);
        var added = await OrderingPages.AddToCartAsync(browser, sku, 2);

        added.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await added.Content.ReadAsStringAsync()));
        added.RedirectTarget().AbsolutePath.ShouldBe("/cart");
        var cart = await browser.GetStringAsync("/cart");
        var row = Html.TableRows(cart).Single(r => r.Contains(sku, StringComparison.Ordinal));
        row.ShouldContain("$7.50");
        row.ShouldContain("$15.00", customMessage: "line total of 2 units");
        Html.ElementText(cart, "cart-subtotal").ShouldNotBeNullOrWhiteSpace();
        cart.ShouldContain("href=\"/checkout\"");

        var remove = await browser.PostAsync("/cart?handler=Remove", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["sku"] = sku,
            ["__RequestVerificationToken"] = Html.AntiforgeryToken(cart),
        }));
        remove.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Html.Text(await browser.GetStringAsync("/cart")).ShouldNotContain(sku);
    }

    [Fact]
    public async Task An_out_of_stock_product_shows_the_spec_message_instead_of_the_form()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 0);
        using var browser = await factory.SignedInBrowserAsync(Users.Customer2);

        var html = await browser.GetStringAsync($"/catalog/product/{sku}");

        Html.Text(html).ShouldContain(UserMessages.OutOfStock);
        html.ShouldNotContain("id=\"add-to-cart\"");
    }

    [Fact]
    public async Task Checkout_through_the_page_redirects_to_the_order_which_the_api_lists()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 12.00m);
        using var browser = await factory.SignedInBrowserAsync(Users.Customer);
        (await OrderingPages.AddToCartAsync(browser, sku)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var checkout = await browser.GetStringAsync("/checkout");
        Html.ElementText(checkout, "order-summary").ShouldContain("$12.00");
        var fields = OrderingPages.CheckoutFields(checkout);
        Guid.TryParse(fields["Input.IdempotencyKey"], out _).ShouldBeTrue("the page generates a Guid key");

        var placed = await browser.PostAsync("/checkout", new FormUrlEncodedContent(fields));
        // A double submit of the same form replays the same order.
        var again = await browser.PostAsync("/checkout", new FormUrlEncodedContent(fields));

        placed.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await placed.Content.ReadAsStringAsync()));
        var target = placed.RedirectTarget().AbsolutePath;
        target.ShouldStartWith("/orders/");
        again.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await again.Content.ReadAsStringAsync()));
        again.RedirectTarget().AbsolutePath.ShouldBe(target);
        var orderId = Guid.Parse(target["/orders/".Length..]);
        var orderPage = await browser.GetStringAsync(target);
        Html.ElementText(orderPage, "order-status").ShouldBe("Paid");
        Html.Text(orderPage).ShouldContain("Thank you! Your order is confirmed.");

        using var api = await factory.ApiClientAsync(Users.Customer);
        var orders = await api.GetFromJsonAsync<JsonElement>("/api/orders");
        orders.GetProperty("items").EnumerateArray().Count(o => o.GetProperty("id").GetGuid() == orderId).ShouldBe(1);
        Html.Text(await browser.GetStringAsync("/orders")).ShouldContain(Html.ElementText(orderPage, "order-number"));
        Html.Text(await browser.GetStringAsync("/cart")).ShouldNotContain(sku, customMessage: "the cart is emptied after checkout");
    }

    [Fact]
    public async Task A_checkout_post_without_the_antiforgery_token_is_400_and_places_no_order()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5);
        using var browser = await factory.SignedInBrowserAsync(Users.Customer2);
        (await OrderingPages.AddToCartAsync(browser, sku)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var fields = OrderingPages.CheckoutFields(await browser.GetStringAsync("/checkout"));
        fields.Remove("__RequestVerificationToken");
        using var api = await factory.ApiClientAsync(Users.Customer2);
        var before = (await api.GetFromJsonAsync<JsonElement>("/api/orders")).GetProperty("totalCount").GetInt32();

        var response = await AppClient.PostFormWithoutTokenAsync(browser, "/checkout", fields);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.GetFromJsonAsync<JsonElement>("/api/orders")).GetProperty("totalCount").GetInt32().ShouldBe(before);
        (await CatalogApi.GetProductAsync(api, sku)).Stock.ShouldBe(5);
    }

    /// <summary>A new product (5 in stock) in <paramref name="browser"/>'s cart and the checkout form's fields for it.</summary>
    private async Task<(string Sku, Dictionary<string, string> Fields)> CheckoutFormAsync(HttpClient browser, string cardNumber)
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5);
        (await OrderingPages.AddToCartAsync(browser, sku)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return (sku, OrderingPages.CheckoutFields(await browser.GetStringAsync("/checkout"), cardNumber));
    }

    [Fact]
    public async Task A_declined_card_on_the_page_shows_the_spec_message_with_a_reference_id()
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Warehouse);
        var (sku, fields) = await CheckoutFormAsync(browser, cardNumber: "4000000000000002");

        var response = await browser.PostAsync("/checkout", new FormUrlEncodedContent(fields));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var html = await response.Content.ReadAsStringAsync();
        Html.Text(html).ShouldContain(UserMessages.PaymentFailed);
        html.ShouldContain("Reference:");
        OrderingPages.InputValue(html, "Input_IdempotencyKey").ShouldNotBe(fields["Input.IdempotencyKey"], "a new attempt needs a new key");
        (await CatalogApi.GetProductAsync(browser, sku)).Stock.ShouldBe(5, "a decline releases the stock");
    }

    [Fact]
    public async Task A_mistyped_card_number_on_the_page_is_shown_beside_the_card_field_and_places_no_order()
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Warehouse);
        var (sku, fields) = await CheckoutFormAsync(browser, cardNumber: "4242424242424241");

        var response = await browser.PostAsync("/checkout", new FormUrlEncodedContent(fields));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        Html.FieldError(html, "Input.PaymentDetails.cardNumber").ShouldBe("Enter a valid card number.");
        OrderingPages.InputValue(html, "Input_IdempotencyKey").ShouldBe(fields["Input.IdempotencyKey"], "nothing was placed under the key, so the corrected card reuses it");
        (await CatalogApi.GetProductAsync(browser, sku)).Stock.ShouldBe(5);
    }

    [Fact]
    public async Task Another_customers_order_page_is_404()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5);
        using var owner = await factory.ApiClientAsync(Users.Customer);
        var placed = await OrderingPages.ApiCheckoutAsync(owner, sku);
        placed.StatusCode.ShouldBe(HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());
        var id = await OrderingPages.OrderIdOfAsync(placed);
        using var ownerBrowser = await factory.SignedInBrowserAsync(Users.Customer);
        using var other = await factory.SignedInBrowserAsync(Users.Customer2);

        (await ownerBrowser.GetAsync($"/orders/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var response = await other.GetAsync($"/orders/{id}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        Html.ShouldBeFriendlyErrorPage(await response.Content.ReadAsStringAsync());
        (await other.GetAsync($"/orders/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_staff_page_is_denied_to_customers_and_lets_the_warehouse_ship_and_deliver()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5);
        using var customerApi = await factory.ApiClientAsync(Users.Customer2);
        var placed = await OrderingPages.ApiCheckoutAsync(customerApi, sku);
        placed.StatusCode.ShouldBe(HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());
        var id = await OrderingPages.OrderIdOfAsync(placed);

        using var customer = await factory.SignedInBrowserAsync(Users.Customer2);
        var denied = await customer.GetAsync("/staff/orders");
        denied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        denied.RedirectTarget().AbsolutePath.ShouldBe("/Identity/AccessDenied");
        (await customer.GetStringAsync("/")).ShouldNotContain("Staff orders");

        using var warehouse = await factory.SignedInBrowserAsync(Users.Warehouse);
        var queue = await warehouse.GetStringAsync("/staff/orders?status=Paid");
        queue.ShouldContain($"data-order-id=\"{id}\"");
        (await warehouse.GetStringAsync("/")).ShouldContain("Staff orders");

        var illegal = await warehouse.PostAsync("/staff/orders?handler=Deliver&status=Paid", Form(id, queue));
        illegal.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var illegalHtml = await illegal.Content.ReadAsStringAsync();
        Html.Text(illegalHtml).ShouldContain("An order that is Paid cannot become Delivered.");
        illegalHtml.ShouldContain("Reference:");

        var shipped = await warehouse.PostAsync("/staff/orders?handler=Ship&status=Paid", Form(id, queue));
        shipped.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await shipped.Content.ReadAsStringAsync()));
        var shippedQueue = await warehouse.GetStringAsync("/staff/orders?status=Shipped");
        shippedQueue.ShouldContain($"data-order-id=\"{id}\"");
        (await warehouse.PostAsync("/staff/orders?handler=Deliver&status=Shipped", Form(id, shippedQueue))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var order = await customerApi.GetFromJsonAsync<JsonElement>($"/api/orders/{id}");
        order.GetProperty("status").GetString().ShouldBe("Delivered");
        Html.ElementText(await customer.GetStringAsync($"/orders/{id}"), "order-timeline").ShouldContain("Delivered");

        using var admin = await factory.SignedInBrowserAsync(Users.Admin);
        (await admin.GetAsync("/staff/orders")).StatusCode.ShouldBe(HttpStatusCode.OK, "admins pass every role check");
    }

    public const string AllowedStatuses = "Status must be one of Pending, PaymentPending, Paid, Shipped, Delivered, Cancelled.";

    [Theory]
    [InlineData("1")]
    [InlineData("42")]
    [InlineData("Paid,Shipped")]
    [InlineData("-1")]
    public async Task A_staff_status_filter_that_is_not_a_status_name_is_a_400_naming_the_allowed_values(string status)
    {
        // Enum.TryParse took numbers and comma lists: "1" listed PaymentPending, "Paid,Shipped" Shipped, "42" an empty queue.
        using var api = await factory.ApiClientAsync(Users.Warehouse);
        var response = await api.GetAsync($"/api/staff/orders?status={Uri.EscapeDataString(status)}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using (var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            problem.RootElement.GetProperty("errors").GetProperty("Status")[0].GetString().ShouldBe(AllowedStatuses);
        }

        using var warehouse = await factory.SignedInBrowserAsync(Users.Warehouse);
        var page = await warehouse.GetAsync($"/staff/orders?status={Uri.EscapeDataString(status)}");

        page.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = Html.Text(await page.Content.ReadAsStringAsync());
        text.ShouldContain(AllowedStatuses);
        text.ShouldContain("Reference:");
    }

    [Theory]
    [InlineData("PaymentPending")]
    [InlineData("shipped")]
    [InlineData("")]
    public async Task The_staff_status_names_are_still_accepted_in_any_case(string status)
    {
        using var api = await factory.ApiClientAsync(Users.Warehouse);

        (await api.GetAsync($"/api/staff/orders?status={status}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var warehouse = await factory.SignedInBrowserAsync(Users.Warehouse);
        (await warehouse.GetAsync($"/staff/orders?status={status}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static FormUrlEncodedContent Form(Guid id, string html) => new(new Dictionary<string, string>
    {
        ["id"] = id.ToString(),
        ["__RequestVerificationToken"] = Html.AntiforgeryToken(html),
    });
}

/// <summary>SPEC A1 through the API: the 6th checkout within the window is 429 with Retry-After and the exact message.</summary>
public sealed class CheckoutRateLimitPageTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Fact]
    public async Task The_sixth_rapid_checkout_is_429_with_retry_after_and_the_spec_message_and_the_page_says_the_same()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 20);
        using var customer = await factory.ApiClientAsync(Users.Customer);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 6; i++)
        {
            last = await OrderingPages.ApiCheckoutAsync(customer, sku);
            statuses.Add(last.StatusCode);
        }

        statuses.Take(5).ShouldAllBe(s => s == HttpStatusCode.Created);
        last!.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        last.Headers.RetryAfter.ShouldNotBeNull();
        var seconds = (int)last.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        seconds.ShouldBeInRange(1, 60);
        using var problem = JsonDocument.Parse(await last.Content.ReadAsStringAsync());
        (problem.RootElement.GetProperty("detail").GetString() ?? "").ShouldMatch($@"^{Regex.Escape(UserMessages.RateLimited)} \(retry in \d+ seconds\)$");

        // The page answers the same way (429, the message with seconds, a reference id).
        using var browser = await factory.SignedInBrowserAsync(Users.Customer);
        (await OrderingPages.AddToCartAsync(browser, sku)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await browser.PostAsync("/checkout", new FormUrlEncodedContent(OrderingPages.CheckoutFields(await browser.GetStringAsync("/checkout"))));
        page.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        page.Headers.RetryAfter.ShouldNotBeNull();
        var html = await page.Content.ReadAsStringAsync();
        Html.Text(html).ShouldMatch($@"{Regex.Escape(UserMessages.RateLimited)} \(retry in \d+ seconds\)");
        html.ShouldContain("Reference:");
    }
}

/// <summary>The payment provider is down from the start (simulator outage by configuration).</summary>
public sealed class PaymentOutageAppFactory : RetailAppFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Payments:Simulator:Outage"] = "true";
        return settings;
    }
}

/// <summary>SPEC A3 seen by the customer: 202 from the API and the high-traffic notice on the order page.</summary>
public sealed class PaymentOutagePageTests(PaymentOutageAppFactory factory) : IClassFixture<PaymentOutageAppFactory>
{
    [Fact]
    public async Task During_an_outage_the_api_answers_202_and_the_order_page_shows_the_high_traffic_message()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5);
        using var customer = await factory.ApiClientAsync(Users.Customer);

        var response = await OrderingPages.ApiCheckoutAsync(customer, sku);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var id = await OrderingPages.OrderIdOfAsync(response);
        using var browser = await factory.SignedInBrowserAsync(Users.Customer);
        var page = await browser.GetStringAsync($"/orders/{id}");
        // Customer words, not the status's code name (SPEC U1: no jargon), on the order and in the list alike.
        Html.ElementText(page, "order-status").ShouldBe("Payment pending");
        Html.ElementText(page, "payment-pending").ShouldContain(UserMessages.Overloaded);
        var list = await browser.GetStringAsync("/orders");
        list.ShouldNotContain("PaymentPending");
        var number = Html.ElementText(page, "order-number");
        Html.TableRows(list).Where(r => r.Contains(number, StringComparison.Ordinal)).ShouldHaveSingleItem().ShouldContain("Payment pending");

        // Through the checkout page: redirected to the order, which shows the same notice.
        (await OrderingPages.AddToCartAsync(browser, sku)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var placed = await browser.PostAsync("/checkout", new FormUrlEncodedContent(OrderingPages.CheckoutFields(await browser.GetStringAsync("/checkout"))));
        placed.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await placed.Content.ReadAsStringAsync()));
        var orderPage = await browser.GetStringAsync(placed.RedirectTarget().AbsolutePath);
        Html.ElementText(orderPage, "payment-pending").ShouldContain(UserMessages.Overloaded);
    }
}

/// <summary>The simulated gateway's settings on <c>/admin/payments</c> (SPEC A2: switchable at run time by an admin).</summary>
public sealed class PaymentsAdminPageTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Theory]
    [InlineData("Input.LatencyMs", "abc", "Latency (ms)")]
    [InlineData("Input.FailurePercent", "ten", "Transient failures (%)")]
    [InlineData("Input.TimeoutPercent", "99999999999999999999999999999999", "Hangs past the attempt timeout (%)")]
    public async Task A_setting_that_is_not_a_number_is_a_400_naming_the_field_with_a_reference_id_and_changes_nothing(string field, string value, string label)
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);
        var before = await admin.GetStringAsync("/admin/payments");
        var fields = new Dictionary<string, string>
        {
            ["Input.LatencyMs"] = "20",
            ["Input.FailurePercent"] = "0",
            ["Input.TimeoutPercent"] = "0",
            ["Input.DeclineCardSuffixes"] = "0002",
            [field] = value,
        };

        var response = await AppClient.PostFormAsync(admin, "/admin/payments", fields);

        // Was a 400 with only "The value 'abc' is not valid for LatencyMs." beside the field: no message at the top, no
        // reference id, and the property name instead of the field's label.
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, Html.Text(html));
        var alert = Html.Text(System.Text.RegularExpressions.Regex.Match(html, """<div class="notice error" role="alert">(.*?)</div>""", RegexOptions.Singleline).Groups[1].Value);
        alert.ShouldContain($"'{value}'");
        alert.ShouldContain(label);
        alert.ShouldContain("Reference:");
        Html.FieldError(html, field).ShouldContain(label);
        Html.ShouldNotLeakExceptionDetails(html);
        var after = await admin.GetStringAsync("/admin/payments");
        OrderingPages.InputValue(after, "Input_LatencyMs").ShouldBe(OrderingPages.InputValue(before, "Input_LatencyMs"));
    }
}
