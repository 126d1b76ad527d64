using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.BuildingBlocks.Infrastructure.Redis;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Modules.Identity.Infrastructure.Persistence;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Domain.Payments;

namespace Retail.Host.FunctionalTests;

/// <summary>
/// An app of its own for a burst. Patient payment timeouts: the burst is about stock and exactly-once payment, and on a
/// busy CI machine (the whole suite in parallel) a charge waiting its turn past the 2 s attempt timeout would leave an
/// order PaymentPending (202), a path tested on purpose elsewhere.
/// </summary>
public abstract class BurstAppFactory : RetailAppFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Payments:Resilience:AttemptTimeout"] = "00:00:30";
        settings["Payments:Resilience:TotalTimeout"] = "00:01:00";
        return settings;
    }
}

/// <summary>Its own app (in-process rate limiter, SQLite file in WAL mode) so the burst shares it with no other test.</summary>
public sealed class ConcurrentCheckoutAppFactory : BurstAppFactory;

/// <summary>Its own app with the Redis-backed rate limiter (<c>RETAIL_TEST_REDIS</c>, required).</summary>
public class RedisCheckoutAppFactory : BurstAppFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        // This burst proves Redis counts every attempt, not the fallback: generous timeouts, so a busy CI machine that
        // delays one Redis answer past the default 1 s does not switch the limiter to in-process mid-burst.
        settings["ConnectionStrings:Redis"] = TestRedis.ConnectionString() + ",syncTimeout=10000,asyncTimeout=10000";
        return settings;
    }
}

/// <summary>
/// Issue 3, "Concurrency": 50 customers × 4 checkouts = 200 requests fired together through real HTTP for one product
/// with exactly 50 units. Each customer stays under the per-user limit (5 / 60 s), so only stock decides.
/// </summary>
public abstract class ConcurrentCheckoutScenario<TFactory>(TFactory factory)
    where TFactory : RetailAppFactory
{
    private const int Units = 50;
    private const int Customers = 50;
    private const int AttemptsPerCustomer = 4;

    protected TFactory Factory => factory;

    protected virtual Task BeforeAsync() => Task.CompletedTask;

    /// <summary>Extra checks after the burst, given each customer's user id and number of attempts.</summary>
    protected virtual Task AfterBurstAsync(IReadOnlyDictionary<string, int> attemptsByUserId) => Task.CompletedTask;

    [Fact]
    public async Task Two_hundred_parallel_checkouts_for_fifty_units_pay_exactly_fifty_orders_and_leave_stock_at_zero()
    {
        await BeforeAsync();
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 3, price: 12.50m);
        await CheckoutLoad.SetStockAsync(catalogAdmin, sku, Units);
        var customers = await CheckoutLoad.RegisterCustomersAsync(factory, Customers);
        try
        {
            var attempts = customers
                .SelectMany(c => Enumerable.Range(0, AttemptsPerCustomer).Select(_ => (Customer: c, Key: Guid.NewGuid().ToString("N"))))
                .ToList();

            var responses = await Task.WhenAll(attempts.Select(async a =>
            {
                using var response = await CheckoutLoad.CheckoutAsync(a.Customer.Client, sku, a.Key);
                return (a.Customer, Status: response.StatusCode,
                    MediaType: response.Content.Headers.ContentType?.MediaType, Body: await response.Content.ReadAsStringAsync());
            }));

            var summary = string.Join(", ", responses.GroupBy(r => (int)r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
            var firstOther = responses.FirstOrDefault(r => r.Status is not HttpStatusCode.Created and not HttpStatusCode.Conflict);
            responses.Count(r => (int)r.Status >= 500).ShouldBe(0, $"statuses: {summary}; e.g. {firstOther.Body}");
            responses.Count(r => r.Status == HttpStatusCode.Created).ShouldBe(Units, $"statuses: {summary}; e.g. {firstOther.Body}");
            responses.Count(r => r.Status == HttpStatusCode.Conflict).ShouldBe(attempts.Count - Units, $"statuses: {summary}; e.g. {firstOther.Body}");

            foreach (var rejected in responses.Where(r => r.Status == HttpStatusCode.Conflict))
            {
                rejected.MediaType.ShouldBe("application/problem+json");
                using var problem = JsonDocument.Parse(rejected.Body);
                problem.RootElement.GetProperty("code").GetString().ShouldBe("ordering.out_of_stock", rejected.Body);
            }

            var paidByEmail = new Dictionary<string, HashSet<Guid>>();
            foreach (var created in responses.Where(r => r.Status == HttpStatusCode.Created))
            {
                using var json = JsonDocument.Parse(created.Body);
                var order = json.RootElement.GetProperty("order");
                order.GetProperty("status").GetString().ShouldBe("Paid", created.Body);
                var id = order.GetProperty("id").GetGuid();
                if (!paidByEmail.TryGetValue(created.Customer.Email, out var ids))
                {
                    paidByEmail[created.Customer.Email] = ids = [];
                }

                ids.Add(id).ShouldBeTrue("each 201 is a different order");
            }

            var allPaid = paidByEmail.Values.SelectMany(ids => ids).ToHashSet();
            allPaid.Count.ShouldBe(Units);

            using (var anonymous = factory.AnonymousApi())
            {
                (await CatalogApi.GetProductAsync(anonymous, sku)).Stock.ShouldBe(0);
            }

            // Each customer sees exactly the orders answered 201 to them, nobody else's.
            var paidAcrossUsers = 0;
            foreach (var customer in customers)
            {
                var mine = paidByEmail.GetValueOrDefault(customer.Email) ?? [];
                using var list = JsonDocument.Parse(await customer.Client.GetStringAsync("/api/orders"));
                var items = list.RootElement.GetProperty("items").EnumerateArray().ToList();
                list.RootElement.GetProperty("totalCount").GetInt32().ShouldBe(mine.Count, customer.Email);
                items.Select(i => i.GetProperty("id").GetGuid()).ToHashSet().SetEquals(mine).ShouldBeTrue($"{customer.Email} lists only its own orders");
                items.ShouldAllBe(i => i.GetProperty("status").GetString() == "Paid");
                paidAcrossUsers += items.Count;
            }

            paidAcrossUsers.ShouldBe(Units);

            using var scope = factory.Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<RetailUser>>();
            var userIds = new Dictionary<string, int>();
            foreach (var customer in customers)
            {
                var user = await users.FindByEmailAsync(customer.Email);
                user.ShouldNotBeNull();
                userIds[user.Id] = AttemptsPerCustomer;
            }

            // One charge per paid order, all succeeded, none for the rejected attempts.
            var payments = await scope.ServiceProvider.GetRequiredService<IPaymentsDbContext>().Payments.AsNoTracking()
                .Where(p => userIds.Keys.Contains(p.CustomerId))
                .Select(p => new { p.OrderId, p.Status })
                .ToListAsync();
            payments.Count.ShouldBe(Units, "one Payments row per paid order");
            payments.Select(p => p.OrderId).ToHashSet().SetEquals(allPaid).ShouldBeTrue("payments belong to exactly the paid orders");
            payments.ShouldAllBe(p => p.Status == PaymentStatus.Succeeded);

            // The factory's database is a SQLite file in WAL mode.
            var catalog = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>("catalog");
            var connection = catalog.Database.GetDbConnection();
            await catalog.Database.OpenConnectionAsync();
            try
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA journal_mode;";
                ((string?)await pragma.ExecuteScalarAsync()).ShouldBe("wal");
            }
            finally
            {
                await catalog.Database.CloseConnectionAsync();
            }

            File.Exists(factory.DatabasePath).ShouldBeTrue();

            await AfterBurstAsync(userIds);
        }
        finally
        {
            customers.ForEach(c => c.Dispose());
        }
    }
}

/// <summary>The burst with the in-process limiter.</summary>
public sealed class ConcurrentCheckoutTests(ConcurrentCheckoutAppFactory factory)
    : ConcurrentCheckoutScenario<ConcurrentCheckoutAppFactory>(factory), IClassFixture<ConcurrentCheckoutAppFactory>;

/// <summary>The same burst with the Redis-backed limiter; also proves Redis, not the in-process fallback, counted.</summary>
public sealed class RedisConcurrentCheckoutTests(RedisCheckoutAppFactory factory)
    : ConcurrentCheckoutScenario<RedisCheckoutAppFactory>(factory), IClassFixture<RedisCheckoutAppFactory>
{
    protected override Task BeforeAsync() => TestRedis.EnsureReachableAsync();

    protected override async Task AfterBurstAsync(IReadOnlyDictionary<string, int> attemptsByUserId)
    {
        Factory.Services.GetRequiredService<IRedisDegradationState>().Mode.ShouldBe("redis");
        var redis = Factory.Services.GetRequiredService<RedisConnection>().Multiplexer;
        redis.ShouldNotBeNull();
        var database = redis.GetDatabase();
        foreach (var (userId, attempts) in attemptsByUserId)
        {
            (await database.SortedSetLengthAsync(RedisConnection.Key("ratelimit:checkout:" + userId)))
                .ShouldBe(attempts, $"Redis counted every checkout attempt of {userId}");
        }
    }
}
