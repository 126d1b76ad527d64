using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using StackExchange.Redis;

namespace Retail.Host.FunctionalTests.Infrastructure;

/// <summary>A customer registered through the API with a bearer client ready for checkout.</summary>
public sealed record ApiCustomer(string Email, HttpClient Client) : IDisposable
{
    public void Dispose() => Client.Dispose();
}

/// <summary>Helpers for the checkout load and rate-limit tests (registration, stock set-up, checkout requests).</summary>
public static class CheckoutLoad
{
    public const string Password = "Load-Passw0rd!77";

    /// <summary>The card number the simulated gateway always accepts.</summary>
    public const string PayingCard = "4242424242424242";

    public static object Body(string sku, int quantity = 1) => new
    {
        items = new[] { new { sku, quantity } },
        shippingAddress = new { name = "Load Tester", line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US" },
        paymentMethod = "card",
        paymentDetails = new Dictionary<string, string> { ["cardNumber"] = PayingCard, ["expiry"] = "12/30" },
    };

    public static async Task<HttpResponseMessage> CheckoutAsync(HttpClient client, string sku, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout") { Content = JsonContent.Create(Body(sku)) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        return await client.SendAsync(request);
    }

    /// <summary>Registers a new customer through <c>POST /api/identity/register</c>; returns the email.</summary>
    public static async Task<string> RegisterAsync(RetailAppFactory factory, string prefix = "load")
    {
        var email = Users.NewEmail(prefix);
        using var api = factory.AnonymousApi();
        var response = await api.PostAsJsonAsync("/api/identity/register", new { email, password = Password });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"register {email}: {await response.Content.ReadAsStringAsync()}");
        return email;
    }

    /// <summary>A bearer client for an already registered customer (logs in through <c>POST /api/identity/login</c>).</summary>
    public static async Task<ApiCustomer> LoginAsync(RetailAppFactory factory, string email)
    {
        var token = await factory.GetBearerTokenAsync(email, Password);
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ApiCustomer(email, client);
    }

    /// <summary>Registers and logs in <paramref name="count"/> distinct customers (a few at a time: hashing is CPU-bound).</summary>
    public static async Task<List<ApiCustomer>> RegisterCustomersAsync(RetailAppFactory factory, int count, string prefix = "load")
    {
        var customers = new List<ApiCustomer>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(10))
        {
            customers.AddRange(await Task.WhenAll(chunk.Select(async _ => await LoginAsync(factory, await RegisterAsync(factory, prefix)))));
        }

        return customers;
    }

    /// <summary>Reads the product's stock and adjusts it to <paramref name="target"/> through the stock-adjustments endpoint.</summary>
    public static async Task SetStockAsync(HttpClient catalogAdmin, string sku, int target)
    {
        var current = (await CatalogApi.GetProductAsync(catalogAdmin, sku)).Stock;
        if (current != target)
        {
            var response = await catalogAdmin.PostAsJsonAsync($"/api/catalog/products/{sku}/stock-adjustments",
                new { delta = target - current, reason = "load test set-up" });
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        (await CatalogApi.GetProductAsync(catalogAdmin, sku)).Stock.ShouldBe(target);
    }
}

/// <summary>The Redis the Redis-backed tests use: <c>RETAIL_TEST_REDIS</c>, required (these tests fail, never skip, without it).</summary>
public static class TestRedis
{
    public const string Variable = "RETAIL_TEST_REDIS";

    public static string ConnectionString()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set. The Redis rate-limit tests need a Redis server: e.g. run `redis-server --port 6398 --save ''` and set {Variable}=127.0.0.1:6398.");
        }

        return value;
    }

    /// <summary>Connects and PINGs; throws a clear message when the server does not answer.</summary>
    public static async Task EnsureReachableAsync()
    {
        var connectionString = ConnectionString();
        try
        {
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = 3000;
            await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
            await multiplexer.GetDatabase().PingAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ArgumentException)
        {
            throw new InvalidOperationException($"Redis at {Variable}={connectionString} is unreachable: {ex.Message}", ex);
        }
    }
}
