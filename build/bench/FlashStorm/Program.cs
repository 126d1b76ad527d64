using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HdrHistogram;

// Flash checkout storm against a running app: one hot SKU in a live flash sale, many customers checking out at once.
// Sets up through the public APIs (catalog admin creates the product and the sale; customers register and log in),
// fires every checkout together, then prints one JSON object: accepted/s, rejections/s by reason, latency percentiles
// (HdrHistogram) for accepted and rejected answers, and the sale's figures from the admin API for the caller to check
// against the database. Usage:
//   FlashStorm --base URL --password P [--customers 200] [--attempts 5] [--allocation 100] [--cap 2] [--stock 150]
//              [--rounds 1] [--admin catalog@retail.local] [--no-sale] [--no-late]
// --no-sale checks out a regular product (no flash sale), e.g. to measure the per-customer rate limit alone.
// After each round's storm a late wave (as many attempts again, the item now sold out) measures the rejections that
// arrive after the sale is over; its line goes to stderr and its figures into the round's late* fields. --no-late skips it.
var o = StormOptions.Parse(args);
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
using var http = new HttpClient(handler) { BaseAddress = new Uri(o.Base), Timeout = TimeSpan.FromSeconds(60) };

var adminToken = await LoginAsync(o.Admin, o.Password);
var customers = new List<string>();
var register = Stopwatch.StartNew();
foreach (var chunk in Enumerable.Range(0, o.Customers).Chunk(8))
{
    customers.AddRange(await Task.WhenAll(chunk.Select(async _ =>
    {
        var email = $"storm-{Guid.NewGuid():N}@example.test";
        (await http.PostAsJsonAsync("/api/identity/register", new { email, password = o.Password })).EnsureSuccessStatusCode();
        return await LoginAsync(email, o.Password);
    })));
}

register.Stop();
var rounds = new List<object>();
for (var round = 1; round <= o.Rounds; round++)
{
    rounds.Add(await StormAsync(round));
}

Console.WriteLine(JsonSerializer.Serialize(new { customers = o.Customers, registerSeconds = Math.Round(register.Elapsed.TotalSeconds, 1), rounds }));
return 0;

async Task<object> StormAsync(int round)
{
    var sku = $"STORM-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
    await AdminAsync(HttpMethod.Post, "/api/catalog/products", new { sku, name = "Storm " + sku, description = "flash storm bench", category = "electronics", price = 25.00m, initialStock = o.Stock, isActive = true });
    var now = DateTimeOffset.UtcNow;
    Guid? saleId = null;
    if (!o.NoSale)
    {
        var created = await AdminAsync(HttpMethod.Post, "/api/flash/sales", new
        {
            name = $"Storm {round}", startsAt = now.AddMinutes(-1), endsAt = now.AddHours(1),
            items = new[] { new { sku, flashPrice = 9.99m, percentOff = (int?)null, allocation = o.Allocation, perCustomerCap = o.Cap } },
        });
        saleId = JsonDocument.Parse(created).RootElement.GetProperty("id").GetGuid();
    }

    var attempts = customers.SelectMany(token => Enumerable.Range(0, o.Attempts).Select(_ => token)).OrderBy(_ => Random.Shared.Next()).ToList();
    var storm = await FireAsync(sku, attempts);
    var accepted = storm.Accepted;
    var rejected = storm.Rejected;
    var outcomes = storm.Outcomes;
    var unitsByCustomer = storm.UnitsByCustomer;
    var wall = storm.Wall;

    // The late wave: as many attempts again once the item is sold out — the buyers who arrive after the sale is over,
    // answered before the checkout gate. Any (unexpected) acceptance still counts, so the database checks stay exact.
    Wave? late = null;
    if (!o.NoSale && o.Late)
    {
        late = await FireAsync(sku, attempts);
        foreach (var (token, units) in late.UnitsByCustomer)
        {
            unitsByCustomer.AddOrUpdate(token, units, (_, n) => n + units);
        }

        var lateRejected = late.Outcomes.Where(p => p.Key != "accepted").Sum(p => p.Value);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  round {round} late wave (after sell-out): {attempts.Count} checkouts in {late.Wall.Elapsed.TotalSeconds:0.00} s, rejected {lateRejected / late.Wall.Elapsed.TotalSeconds:0.0}/s (p50 {Ms(late.Rejected, 50)} ms, p99 {Ms(late.Rejected, 99)} ms) {JsonSerializer.Serialize(late.Outcomes.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value))}"));
    }

    var seconds = wall.Elapsed.TotalSeconds;
    var acceptedCount = outcomes.GetValueOrDefault("accepted") + (late?.Outcomes.GetValueOrDefault("accepted") ?? 0);
    var rejectedCount = outcomes.Where(p => p.Key != "accepted").Sum(p => p.Value);
    var sale = saleId is null ? (JsonElement?)null : JsonDocument.Parse(await AdminAsync(HttpMethod.Get, $"/api/flash/sales/{saleId}", null)).RootElement.GetProperty("items")[0];
    return new
    {
        round,
        sku,
        saleId,
        attempts = attempts.Count,
        seconds = Math.Round(seconds, 2),
        accepted = acceptedCount,
        acceptedPerSecond = Math.Round(outcomes.GetValueOrDefault("accepted") / seconds, 1),
        rejectedPerSecond = Math.Round(rejectedCount / seconds, 1),
        outcomes = outcomes.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value),
        acceptedP50Ms = Ms(accepted, 50), acceptedP99Ms = Ms(accepted, 99),
        rejectedP50Ms = Ms(rejected, 50), rejectedP99Ms = Ms(rejected, 99),
        maxUnitsPerCustomer = unitsByCustomer.Values.DefaultIfEmpty(0).Max(),
        lateAttempts = late is null ? 0 : attempts.Count,
        lateSeconds = late is null ? 0 : Math.Round(late.Wall.Elapsed.TotalSeconds, 2),
        lateRejectedPerSecond = late is null ? 0 : Math.Round(late.Outcomes.Where(p => p.Key != "accepted").Sum(p => p.Value) / late.Wall.Elapsed.TotalSeconds, 1),
        lateRejectedP50Ms = late is null ? 0 : Ms(late.Rejected, 50),
        lateRejectedP99Ms = late is null ? 0 : Ms(late.Rejected, 99),
        lateOutcomes = late?.Outcomes.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value),
        saleSold = sale?.GetProperty("sold").GetInt32(),
        saleRemaining = sale?.GetProperty("remaining").GetInt32(),
        allocation = o.Allocation,
        cap = o.Cap,
    };
}

async Task<Wave> FireAsync(string sku, IReadOnlyList<string> attempts)
{
    var accepted = new LongHistogram(TimeStamp.Seconds(60), 3);
    var rejected = new LongHistogram(TimeStamp.Seconds(60), 3);
    var outcomes = new ConcurrentDictionary<string, int>();
    var unitsByCustomer = new ConcurrentDictionary<string, int>();
    var wall = Stopwatch.StartNew();
    await Task.WhenAll(attempts.Select(token => Task.Run(async () =>
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new
            {
                items = new[] { new { sku, quantity = 1 } },
                shippingAddress = new { name = "Storm", line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US" },
                paymentMethod = "card",
                paymentDetails = new Dictionary<string, string> { ["cardNumber"] = "4242424242424242", ["expiry"] = "12/30" },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        string outcome;
        try
        {
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var ok = response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted;
            outcome = ok ? "accepted" : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + ":" + Code(body);
            lock (ok ? accepted : rejected)
            {
                (ok ? accepted : rejected).RecordValue(Stopwatch.GetTimestamp() - started);
            }

            if (ok)
            {
                unitsByCustomer.AddOrUpdate(token, 1, (_, n) => n + 1);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            outcome = "transport_error";
        }

        outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
    })));
    wall.Stop();
    return new Wave(accepted, rejected, outcomes, unitsByCustomer, wall);
}

static double Ms(LongHistogram h, double percentile) =>
    h.TotalCount == 0 ? 0 : Math.Round(h.GetValueAtPercentile(percentile) / OutputScalingFactor.TimeStampToMilliseconds, 2);

static string Code(string body)
{
    try
    {
        return JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "";
    }
    catch (JsonException)
    {
        return "";
    }
}

async Task<string> LoginAsync(string email, string password)
{
    var response = await http.PostAsJsonAsync("/api/identity/login", new { email, password });
    response.EnsureSuccessStatusCode();
    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;
}

async Task<string> AdminAsync(HttpMethod method, string path, object? body)
{
    using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
    using var response = await http.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }

    return text;
}

internal sealed record Wave(LongHistogram Accepted, LongHistogram Rejected, ConcurrentDictionary<string, int> Outcomes, ConcurrentDictionary<string, int> UnitsByCustomer, Stopwatch Wall);

internal sealed record StormOptions(string Base, string Password, string Admin, int Customers, int Attempts, int Allocation, int Cap, int Stock, int Rounds, bool NoSale, bool Late)
{
    public static StormOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        int Number(string name, int fallback) => int.Parse(Value(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new StormOptions(
            Value("--base", "http://127.0.0.1:5080"),
            Value("--password", "Bench-Passw0rd!"),
            Value("--admin", "catalog@retail.local"),
            Number("--customers", 200),
            Number("--attempts", 5),
            Number("--allocation", 100),
            Number("--cap", 2),
            Number("--stock", 150),
            Number("--rounds", 1),
            args.Contains("--no-sale"),
            !args.Contains("--no-late"));
    }
}
