using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Modules.FlashSales.Application.Abstractions;
using Retail.Modules.Ordering.Application.Abstractions;

namespace Retail.Host.FunctionalTests.FlashSales;

/// <summary>Its own app: the tests hold the checkout gate shut (one permit, no queue), which no other test class may see.</summary>
public sealed class FlashCheckoutGateAppFactory : RetailAppFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Ordering:CheckoutRateLimit:PermitLimit"] = "100";
        settings["FlashSales:PerUserSkuPermitLimit"] = "100";
        settings["Ordering:CheckoutGate:PermitLimit"] = "1";
        settings["Ordering:CheckoutGate:QueueLimit"] = "0";
        return settings;
    }
}

/// <summary>
/// Over real HTTP: sold-out and over-the-cap checkouts are answered before the checkout gate (held shut here, so anything
/// that needs it gets 503) with the very problem body the claim gives — same status, title, detail and code.
/// </summary>
public sealed class FlashCheckoutPregateTests(FlashCheckoutGateAppFactory factory) : IClassFixture<FlashCheckoutGateAppFactory>
{
    private async Task<string> LiveSaleAsync(int allocation, int cap)
    {
        using var admin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(admin, stock: 50, price: 10m);
        var now = DateTimeOffset.UtcNow;
        var created = await admin.PostAsJsonAsync("/api/flash/sales", new
        {
            name = "Storm " + sku,
            startsAt = now.AddMinutes(-1),
            endsAt = now.AddHours(1),
            items = new[] { new { sku, flashPrice = 5m, percentOff = (int?)null, allocation, perCustomerCap = cap } },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return sku;
    }

    private static async Task<(HttpStatusCode Status, string? ContentType, Dictionary<string, string> Body)> ProblemAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var body = json.RootElement.EnumerateObject().Where(p => p.Name != "traceId").ToDictionary(p => p.Name, p => p.Value.ToString());
        json.RootElement.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    [Fact]
    public async Task Sold_out_and_over_the_cap_get_the_claims_own_problem_bodies_while_the_gate_is_shut()
    {
        var sku = await LiveSaleAsync(allocation: 2, cap: 1);
        var customers = await CheckoutLoad.RegisterCustomersAsync(factory, 4, "pregate");
        try
        {
            (await CheckoutLoad.CheckoutAsync(customers[0].Client, sku)).StatusCode.ShouldBe(HttpStatusCode.Created);
            (await CheckoutLoad.CheckoutAsync(customers[1].Client, sku)).StatusCode.ShouldBe(HttpStatusCode.Created);
            var soldOutByClaim = await ProblemAsync(await CheckoutLoad.CheckoutAsync(customers[2].Client, sku));

            soldOutByClaim.Status.ShouldBe(HttpStatusCode.Conflict);
            soldOutByClaim.Body["code"].ShouldBe("flash.sold_out");

            using var held = await factory.Services.GetRequiredService<ICheckoutGate>().TryEnterAsync(CancellationToken.None);
            held.ShouldNotBeNull();
            var soldOutEarly = await ProblemAsync(await CheckoutLoad.CheckoutAsync(customers[3].Client, sku));
            var overEarly = await ProblemAsync(await CheckoutLoad.CheckoutAsync(customers[0].Client, sku));

            soldOutEarly.Status.ShouldBe(soldOutByClaim.Status);
            soldOutEarly.ContentType.ShouldBe("application/problem+json");
            soldOutEarly.Body.ShouldBe(soldOutByClaim.Body);
            // Sold out is checked before the cap, exactly as the claim does it.
            overEarly.Body["code"].ShouldBe("flash.sold_out");

            var plain = await CheckoutLoad.CheckoutAsync(customers[3].Client, await PlainProductAsync());
            plain.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, "a product outside any sale needs the (shut) gate");
        }
        finally
        {
            customers.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Over_the_cap_answered_before_the_gate_has_the_claims_problem_body()
    {
        var sku = await LiveSaleAsync(allocation: 10, cap: 2);
        var customers = await CheckoutLoad.RegisterCustomersAsync(factory, 1, "pregate-cap");
        try
        {
            (await CheckoutLoad.CheckoutAsync(customers[0].Client, sku)).StatusCode.ShouldBe(HttpStatusCode.Created);
            // A second unit bought through another instance: this one's memo still thinks one, so the next attempt goes to the claim.
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                var flash = scope.ServiceProvider.GetRequiredService<IFlashSalesDbContext>();
                var itemId = await flash.Items.Where(i => i.Sku == sku).Select(i => i.Id).SingleAsync();
                (await flash.Purchases.Where(p => p.ItemId == itemId).ExecuteUpdateAsync(u => u.SetProperty(p => p.Quantity, 2))).ShouldBe(1);
            }

            var byClaim = await ProblemAsync(await CheckoutLoad.CheckoutAsync(customers[0].Client, sku));
            byClaim.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);

            using var held = await factory.Services.GetRequiredService<ICheckoutGate>().TryEnterAsync(CancellationToken.None);
            held.ShouldNotBeNull();
            var early = await ProblemAsync(await CheckoutLoad.CheckoutAsync(customers[0].Client, sku));

            early.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
            early.ContentType.ShouldBe("application/problem+json");
            early.Body.ShouldBe(byClaim.Body);
            early.Body["detail"].ShouldBe("You can buy at most 2 of this item in this flash sale.");
            early.Body["code"].ShouldBe("flash.cap_exceeded");
        }
        finally
        {
            customers.ForEach(c => c.Dispose());
        }
    }

    private async Task<string> PlainProductAsync()
    {
        using var admin = await factory.ApiClientAsync(Users.Catalog);
        return await CatalogApi.CreateProductAsync(admin, stock: 5, price: 3m);
    }
}
