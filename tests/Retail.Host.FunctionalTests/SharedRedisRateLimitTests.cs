using System.Net;
using System.Text.Json;
using Retail.BuildingBlocks.Application;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>
/// A second app instance on the first one's SQLite file (so user ids are the same) and the same Redis; it does not seed.
/// </summary>
public sealed class SecondInstanceFactory(string sharedDatabasePath) : RedisCheckoutAppFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["ConnectionStrings:Retail"] = $"Data Source={sharedDatabasePath}";
        settings["Seed:Demo"] = "false";
        return settings;
    }
}

/// <summary>Instance A (seeds the shared database) started before instance B; disposed in reverse order.</summary>
public sealed class TwoInstancesOnOneRedis : IAsyncLifetime
{
    public RedisCheckoutAppFactory A { get; private set; } = null!;

    public SecondInstanceFactory B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await TestRedis.EnsureReachableAsync();
        A = new RedisCheckoutAppFactory();
        _ = A.Services; // starts A: migrations and demo seed finish before B opens the file
        B = new SecondInstanceFactory(A.DatabasePath);
        _ = B.Services;
    }

    public Task DisposeAsync()
    {
        B?.Dispose();
        A?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Issue 3, "Rate limit": across two app instances sharing Redis the per-user limit (5 / 60 s) is global.</summary>
public sealed class SharedRedisRateLimitTests(TwoInstancesOnOneRedis instances) : IClassFixture<TwoInstancesOnOneRedis>
{
    [Fact]
    public async Task Three_checkouts_on_each_of_two_instances_accept_five_and_answer_the_sixth_429_with_retry_after()
    {
        using var catalogAdmin = await instances.A.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 20, price: 3.25m);
        var email = await CheckoutLoad.RegisterAsync(instances.A, "two-instances");
        using var onA = await CheckoutLoad.LoginAsync(instances.A, email);
        using var onB = await CheckoutLoad.LoginAsync(instances.B, email);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        foreach (var client in new[] { onA.Client, onA.Client, onA.Client, onB.Client, onB.Client, onB.Client })
        {
            last?.Dispose();
            last = await CheckoutLoad.CheckoutAsync(client, sku);
            statuses.Add(last.StatusCode);
        }

        using var sixth = last!;
        statuses.ShouldBe(
            [HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests],
            "A, A, A, B, B, B: each instance saw only three, so only a shared Redis counter stops the sixth");
        sixth.Headers.RetryAfter.ShouldNotBeNull("a 429 carries Retry-After");
        var retryAfter = sixth.Headers.RetryAfter.Delta.ShouldNotBeNull();
        retryAfter.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var body = await sixth.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("code").GetString().ShouldBe("rate_limited", body);
        problem.RootElement.GetProperty("detail").GetString()
            .ShouldBe(UserMessages.RateLimitedWithSeconds(retryAfter), body);

        // Both instances read the one database: five orders for this customer, nothing for the refused attempt.
        using var orders = JsonDocument.Parse(await onB.Client.GetStringAsync("/api/orders"));
        orders.RootElement.GetProperty("totalCount").GetInt32().ShouldBe(5);
        using var anonymous = instances.A.AnonymousApi();
        (await CatalogApi.GetProductAsync(anonymous, sku)).Stock.ShouldBe(15);
    }
}
