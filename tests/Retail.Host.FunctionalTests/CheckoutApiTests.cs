using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>Checkout and order history through HTTP with bearer tokens (issue 3 API).</summary>
public sealed class CheckoutApiTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    private static object Body(string sku, int quantity = 1) => new
    {
        items = new[] { new { sku, quantity, price = 0.01m } },
        shippingAddress = new { name = "Ann", line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US" },
        paymentMethod = "card",
        paymentDetails = new Dictionary<string, string> { ["cardNumber"] = "4242424242424242", ["expiry"] = "12/30" },
    };

    private static async Task<HttpResponseMessage> CheckoutAsync(HttpClient client, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_paid_checkout_is_201_with_catalog_prices_and_only_its_owner_can_read_it()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 19.99m);
        using var customer = await factory.ApiClientAsync(Users.Customer);

        var response = await CheckoutAsync(customer, Body(sku), Guid.NewGuid().ToString("N"));

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var order = json.RootElement.GetProperty("order");
        order.GetProperty("status").GetString().ShouldBe("Paid");
        order.GetProperty("total").GetDecimal().ShouldBe(19.99m, "the client's price field is ignored");
        var id = order.GetProperty("id").GetString();
        (await customer.GetAsync($"/api/orders/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var other = await factory.ApiClientAsync(Users.Customer2);
        (await other.GetAsync($"/api/orders/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Checkout_without_an_idempotency_key_is_400_and_an_unknown_sku_is_a_validation_problem()
    {
        using var customer = await factory.ApiClientAsync(Users.Customer2);

        (await CheckoutAsync(customer, Body("BK-0003"), key: null)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var unknown = await CheckoutAsync(customer, Body("NOPE-" + Guid.NewGuid().ToString("N")[..6]), Guid.NewGuid().ToString("N"));
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await customer.GetFromJsonAsync<JsonElement>("/api/orders")).GetProperty("totalCount").GetInt32().ShouldBe(0);
    }

    private static async Task<(JsonElement Body, string ErrorOfItem)> RefusalAsync(HttpResponseMessage response, HttpStatusCode expected, string sku)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        body.TryGetProperty("errors", out var errors).ShouldBeTrue($"the problem body says which item was refused: {text}");
        return (body, errors.GetProperty(sku).EnumerateArray().Single().GetString()!);
    }

    [Theory]
    [InlineData("deactivated", HttpStatusCode.UnprocessableEntity, "ordering.product_unavailable")]
    [InlineData("out-of-stock", HttpStatusCode.Conflict, "ordering.out_of_stock")]
    public async Task An_item_the_catalog_refuses_is_named_in_the_problem_body_under_its_sku(string why, HttpStatusCode expected, string code)
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var kept = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5, price: 4m, name: "Kept Kettle");
        var sku = CatalogApi.NewSku();
        var name = $"Refused Radio {sku}";
        await CatalogApi.CreateProductAsync(catalogAdmin, sku: sku, stock: why == "out-of-stock" ? 0 : 5, price: 6m, name: name, isActive: why != "deactivated");
        using var customer = await factory.ApiClientAsync(Users.Customer2);
        var body = new
        {
            items = new[] { new { sku = kept, quantity = 1 }, new { sku, quantity = 1 } },
            shippingAddress = new { name = "Ann", line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US" },
            paymentMethod = "card",
            paymentDetails = new Dictionary<string, string> { ["cardNumber"] = "4242424242424242", ["expiry"] = "12/30" },
        };

        // Was: only "This item is no longer available." with two items sent and no word of which one.
        var (problem, error) = await RefusalAsync(await CheckoutAsync(customer, body, Guid.NewGuid().ToString("N")), expected, sku);

        problem.GetProperty("code").GetString().ShouldBe(code);
        problem.GetProperty("detail").GetString().ShouldBe(Retail.BuildingBlocks.Application.UserMessages.OutOfStock);
        error.ShouldBe($"{name}: {Retail.BuildingBlocks.Application.UserMessages.OutOfStock}");
        problem.GetProperty("errors").TryGetProperty(kept, out _).ShouldBeFalse("the kettle was not refused");
        (await CatalogApi.GetProductAsync(catalogAdmin, kept)).Stock.ShouldBe(5, "nothing is ordered");
    }

    [Fact]
    public async Task A_sold_out_flash_item_is_named_in_the_problem_body_by_the_claim_and_by_the_early_answer()
    {
        using var admin = await factory.ApiClientAsync(Users.Catalog);
        var sku = CatalogApi.NewSku();
        var name = $"Flash Fan {sku}";
        await CatalogApi.CreateProductAsync(admin, sku: sku, stock: 50, price: 10m, name: name);
        var now = DateTimeOffset.UtcNow;
        var sale = await admin.PostAsJsonAsync("/api/flash/sales", new
        {
            name = "Named " + sku,
            startsAt = now.AddMinutes(-1),
            endsAt = now.AddHours(1),
            items = new[] { new { sku, flashPrice = 5m, percentOff = (int?)null, allocation = 1, perCustomerCap = 1 } },
        });
        sale.StatusCode.ShouldBe(HttpStatusCode.Created, await sale.Content.ReadAsStringAsync());
        var customers = await CheckoutLoad.RegisterCustomersAsync(factory, 3, "named");
        try
        {
            (await CheckoutLoad.CheckoutAsync(customers[0].Client, sku)).StatusCode.ShouldBe(HttpStatusCode.Created);

            // The second is refused by the claim (which remembers the item sold out), the third before the claim.
            var byClaim = await RefusalAsync(await CheckoutLoad.CheckoutAsync(customers[1].Client, sku), HttpStatusCode.Conflict, sku);
            var early = await RefusalAsync(await CheckoutLoad.CheckoutAsync(customers[2].Client, sku), HttpStatusCode.Conflict, sku);

            foreach (var (problem, error) in new[] { byClaim, early })
            {
                problem.GetProperty("code").GetString().ShouldBe("flash.sold_out");
                problem.GetProperty("detail").GetString().ShouldBe(Retail.BuildingBlocks.Application.UserMessages.OutOfStock);
                error.ShouldBe($"{name}: {Retail.BuildingBlocks.Application.UserMessages.OutOfStock}");
            }
        }
        finally
        {
            customers.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_page_number_far_past_the_end_never_shows_the_first_page_of_orders_again()
    {
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 5);
        using var customer = await factory.ApiClientAsync(Users.Customer);
        var placed = await CheckoutAsync(customer, Body(sku), Guid.NewGuid().ToString("N"));
        placed.StatusCode.ShouldBe(HttpStatusCode.Created);
        var orderId = await OrderingPages.OrderIdOfAsync(placed);

        // (page - 1) * pageSize overflowed int and wrapped to a negative offset, which SQLite reads as 0: page 1 again.
        var response = await customer.GetAsync($"/api/orders?page={int.MaxValue}");

        var body = await response.Content.ReadAsStringAsync();
        body.ShouldNotContain(orderId.ToString(), customMessage: "a page past the end lists no orders");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        body.ShouldContain("validation_failed");
    }
}
