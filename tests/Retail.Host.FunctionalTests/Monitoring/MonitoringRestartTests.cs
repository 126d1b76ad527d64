using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Monitoring;

/// <summary>The whole app over a database file the test owns, so a second host can start over the same file (a restart).</summary>
public sealed class SharedDatabaseAppFactory(string databasePath) : RetailAppFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["ConnectionStrings:Retail"] = $"Data Source={databasePath}";
        return settings;
    }
}

/// <summary>
/// Issue 7: Monitoring's totals live in its own tables, survive a restart of the host and equal the source modules'
/// own counts (Ordering's orders table), read straight from the database file.
/// </summary>
public sealed class MonitoringRestartTests : IDisposable
{
    private static readonly string[] OrderCounters = ["orders.placed.count", "orders.paid.count", "orders.paid.revenue_cents", "orders.cancelled.count"];

    private readonly string _folder = Path.Combine(
        OperatingSystem.IsLinux() && Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(),
        "retail-monitoring-restart-" + Guid.NewGuid().ToString("N"));

    public MonitoringRestartTests() => Directory.CreateDirectory(_folder);

    private string DatabasePath => Path.Combine(_folder, "retail.db");

    [Fact]
    public async Task Order_totals_survive_a_restart_and_equal_the_ordering_tables()
    {
        Dictionary<string, long> before;
        await using (var first = new SharedDatabaseAppFactory(DatabasePath))
        {
            using var catalogAdmin = await first.ApiClientAsync(Users.Catalog);
            var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 20, price: 12.25m);
            using var buyer = await CheckoutLoad.LoginAsync(first, await CheckoutLoad.RegisterAsync(first, "restart"));
            for (var i = 0; i < 3; i++)
            {
                using var response = await CheckoutLoad.CheckoutAsync(buyer.Client, sku);
                response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            }

            using var admin = await first.ApiClientAsync(Users.Admin);
            before = await Eventually.WaitForAsync(
                () => CountersAsync(admin),
                c => Matches(c, OrderingCounts()),
                "Monitoring's order totals to catch up with Ordering's table");
            before["orders.paid.count"].ShouldBeGreaterThanOrEqualTo(3);
            before["orders.paid.revenue_cents"].ShouldBeGreaterThanOrEqualTo(3 * 1225);
        }

        SqliteConnection.ClearAllPools();
        await using var second = new SharedDatabaseAppFactory(DatabasePath);
        using var adminAfter = await second.ApiClientAsync(Users.Admin);

        var after = await CountersAsync(adminAfter);

        foreach (var name in OrderCounters)
        {
            after[name].ShouldBe(before[name], $"{name} after the restart");
        }

        Matches(after, OrderingCounts()).ShouldBeTrue("Monitoring's totals equal Ordering's own rows after the restart");
        var json = await adminAfter.GetFromJsonAsync<JsonElement>("/api/monitoring/dashboard");
        json.GetProperty("business").GetProperty("orders").GetInt64().ShouldBe(before["orders.paid.count"]);
        json.GetProperty("business").GetProperty("revenue").GetDecimal().ShouldBe(before["orders.paid.revenue_cents"] / 100m);
    }

    private static bool Matches(IReadOnlyDictionary<string, long> counters, IReadOnlyDictionary<string, long> ordering) =>
        OrderCounters.All(n => counters.GetValueOrDefault(n) == ordering[n]);

    private static async Task<Dictionary<string, long>> CountersAsync(HttpClient admin)
    {
        var json = await admin.GetFromJsonAsync<JsonElement>("/api/monitoring/dashboard");
        return json.GetProperty("counters").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("total").GetInt64(), StringComparer.Ordinal);
    }

    /// <summary>Ordering's own figures from its table: every order placed, paid ones (and later states) with their totals (stored in ten-thousandths, so ÷ 100 for cents), cancelled ones.</summary>
    private Dictionary<string, long> OrderingCounts()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        }

        const string paid = "Status IN ('Paid', 'Shipped', 'Delivered')";
        return new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["orders.placed.count"] = Scalar("SELECT COUNT(*) FROM ordering_Orders"),
            ["orders.paid.count"] = Scalar($"SELECT COUNT(*) FROM ordering_Orders WHERE {paid}"),
            ["orders.paid.revenue_cents"] = Scalar($"SELECT COALESCE(SUM(Total), 0) / 100 FROM ordering_Orders WHERE {paid}"),
            ["orders.cancelled.count"] = Scalar("SELECT COUNT(*) FROM ordering_Orders WHERE Status = 'Cancelled'"),
        };
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort, as RetailAppFactory does.
        }
    }
}
