using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HdrHistogram;

// Feed ingest and stock webhook benchmark (not a test) against a running app:
//
//   Ingest --base http://127.0.0.1:5080 --password <demo password> --pid <server pid> --work <folder>
//          [--rows 1000000] [--small-rows 10000] [--structured-rows 200000] [--webhook-rate 1000] [--webhook-warmup 2] [--webhook-seconds 10] [--memory-only]
//
// Signs in as the demo catalog admin, creates a partner and a live key through the back office pages, then:
//  1. a --small-rows CSV and a --rows CSV as background jobs: rows/s from upload to Completed, peak server memory
//     (VmRSS of --pid sampled every 50 ms) during each, so the large feed's growth over the small one is measured;
//  2. the same --rows CSV again (new bytes, same rows): must change 0 rows;
//  3. JSON and XML feeds of --structured-rows rows: streaming rows/s;
//  4. 50 small inline feeds (20 rows each, processed inside the request): receipt latency;
//  5. signed stock webhooks at --webhook-rate per second, open loop: ack latency from each request's intended send time,
//     after --webhook-warmup seconds sent at the same rate and not timed.
// --memory-only stops after step 1. Prints one JSON object per case on stdout; feed files are written to --work, streamed from disk, never held in memory.
var options = Args.Parse(args);
var cases = new List<object>();
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 128, UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
using var admin = new HttpClient(handler) { BaseAddress = new Uri(options.Base), Timeout = TimeSpan.FromMinutes(5) };
await PostFormAsync(admin, "/Identity/Login", new() { ["Input.Email"] = "catalog@retail.local", ["Input.Password"] = options.Password });
var created = await PostFormAsync(admin, "/admin/partners", new() { ["Input.Name"] = "Bench partner " + Guid.NewGuid().ToString("N")[..6], ["Input.ContactEmail"] = "bench@partner.example" });
var page = created.Headers.Location?.OriginalString ?? throw new InvalidOperationException($"partner not created: HTTP {(int)created.StatusCode}");
var keyPage = await (await PostFormAsync(admin, page, new() { ["Key.Name"] = "bench" }, page + "?handler=CreateKey")).Content.ReadAsStringAsync();
var key = Regex.Match(keyPage, "id=\"new-key-value\">([^<]+)<").Groups[1].Value;
// The webhook signing secret is shown once, when it is issued.
var secretPage = await (await PostFormAsync(admin, page, new() { ["overlapHours"] = "0" }, page + "?handler=RotateWebhookSecret")).Content.ReadAsStringAsync();
var secret = WebUtility.HtmlDecode(Regex.Match(secretPage, "id=\"new-webhook-secret-value\"[^>]*>([^<]+)<").Groups[1].Value);
if (key.Length == 0 || secret.Length == 0)
{
    throw new InvalidOperationException("no API key or webhook secret on the partner page");
}

using var partnerHandler = new SocketsHttpHandler { MaxConnectionsPerServer = 128, UseCookies = false };
using var partner = new HttpClient(partnerHandler) { BaseAddress = new Uri(options.Base), Timeout = TimeSpan.FromMinutes(30) };
partner.DefaultRequestHeaders.Add("X-Api-Key", key);
using var scraper = new HttpClient { BaseAddress = new Uri(options.Base), Timeout = TimeSpan.FromSeconds(10) };
var memory = new ServerMemory(options.Pid, scraper);

var smallCsv = Feeds.Csv(options.Work, options.SmallRows, "small");
var small = await Feeds.IngestAsync(partner, smallCsv, "text/csv", memory, options.SmallRows, "csv");
cases.Add(small);
var largeCsv = Feeds.Csv(options.Work, options.Rows, "large");
var large = await Feeds.IngestAsync(partner, largeCsv, "text/csv", memory, options.Rows, "csv");
cases.Add(large);
cases.Add(new
{
    @case = "memory", smallRows = options.SmallRows, largeRows = options.Rows, smallPeakMb = small.PeakRssMb, largePeakMb = large.PeakRssMb, growthMb = large.PeakRssMb - small.PeakRssMb,
    smallHeapMb = small.PeakHeapMb, largeHeapMb = large.PeakHeapMb, heapGrowthMb = large.PeakHeapMb - small.PeakHeapMb,
});
if (options.MemoryOnly)
{
    PrintAll(cases);
    return;
}

File.AppendAllText(largeCsv, "\n"); // new bytes (a new content hash), the same rows
cases.Add(await Feeds.IngestAsync(partner, largeCsv, "text/csv", memory, options.Rows, "csv-again"));
File.Delete(largeCsv);
cases.Add(await Feeds.IngestAsync(partner, Feeds.Json(options.Work, options.StructuredRows), "application/json", memory, options.StructuredRows, "json"));
cases.Add(await Feeds.IngestAsync(partner, Feeds.Xml(options.Work, options.StructuredRows), "application/xml", memory, options.StructuredRows, "xml"));
cases.Add(await Feeds.InlineReceiptsAsync(partner, options.Work));
if (options.WebhookSeconds > 0)
{
    cases.Add(await Webhooks.RunAsync(partner, secret, options.WebhookRate, options.WebhookWarmup, options.WebhookSeconds, options.SmallRows));
}

PrintAll(cases);

static void PrintAll(List<object> cases)
{
    foreach (var result in cases)
    {
        Console.WriteLine(JsonSerializer.Serialize(result, JsonSerializerOptions.Web));
    }
}

static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, Dictionary<string, string> fields, string? postTo = null)
{
    var html = await client.GetStringAsync(page);
    var input = Regex.Match(html, "<input[^>]*name=\"__RequestVerificationToken\"[^>]*>").Value;
    fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(Regex.Match(input, "\\bvalue=\"([^\"]*)").Groups[1].Value);
    using var form = new FormUrlEncodedContent(fields);
    return await client.PostAsync(postTo ?? page, form);
}

internal sealed record Args(string Base, string Password, int Pid, string Work, int Rows, int SmallRows, int StructuredRows, int WebhookRate, int WebhookWarmup, int WebhookSeconds, bool MemoryOnly)
{
    public static Args Parse(string[] args)
    {
        string Get(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"--{name} is required");
        }

        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Args(Get("base"), Get("password"), Int("pid", 0), Get("work"), Int("rows", 1_000_000), Int("small-rows", 10_000),
            Int("structured-rows", 200_000), Int("webhook-rate", 1_000), Int("webhook-warmup", 2), Int("webhook-seconds", 10), args.Contains("--memory-only"));
    }
}

/// <summary>
/// Samples the server while a case runs: resident memory (VmRSS of --pid, every 50 ms) and the managed heap left after the
/// last garbage collection (the runtime's dotnet_gc_last_collection_heap_size_bytes on /metrics, every 500 ms). RSS
/// includes memory the GC keeps for reuse; the heap after a collection is what the app actually retains.
/// </summary>
internal sealed class ServerMemory(int pid, HttpClient metrics)
{
    public double CurrentMb()
    {
        if (pid <= 0)
        {
            return 0;
        }

        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    public async Task<double> ManagedHeapMb()
    {
        var text = await metrics.GetStringAsync("/metrics");
        return text.Split('\n').Where(l => l.StartsWith("dotnet_gc_last_collection_heap_size_bytes", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)) / 1048576;
    }

    public async Task<(T Result, double PeakRssMb, double PeakHeapMb)> WhileAsync<T>(Func<Task<T>> run)
    {
        var peak = CurrentMb();
        var heap = await ManagedHeapMb();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            var tick = 0;
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, CurrentMb());
                if (tick++ % 10 == 0)
                {
                    heap = Math.Max(heap, await ManagedHeapMb());
                }

                await Task.Delay(50, CancellationToken.None);
            }
        });
        var result = await run();
        await stop.CancelAsync();
        await sampler;
        return (result, Math.Max(peak, CurrentMb()), Math.Max(heap, await ManagedHeapMb()));
    }
}

internal sealed record IngestResult(string Case, int Rows, double FileMb, int HttpStatus, double ReceiptMs, string Status, int Created, int Updated, int Unchanged, int Rejected,
    double Seconds, double RowsPerSecond, double PeakRssMb, double PeakHeapMb);

internal static class Feeds
{
    private const string Header = "sku,name,description,category,price,currency,stock,brand,gtin,image_url";

    private static string Price(int i) => (10 + (i % 90)).ToString(CultureInfo.InvariantCulture) + ".99";

    public static string Csv(string folder, int rows, string name)
    {
        var path = Path.Combine(folder, $"feed-{name}-{rows}.csv");
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write(Header + "\n");
        for (var i = 1; i <= rows; i++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"BENCH-{i},Bench product {i},A product of the ingest benchmark number {i},Home & Kitchen,{Price(i)},USD,{i % 50},Acme,,https://cdn.example.com/{i}.jpg\n"));
        }

        return path;
    }

    public static string Json(string folder, int rows)
    {
        var path = Path.Combine(folder, $"feed-{rows}.json");
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("[\n");
        for (var i = 1; i <= rows; i++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{{\"sku\":\"JSON-{i}\",\"name\":\"Json product {i}\",\"description\":\"Streaming JSON row {i}\",\"category\":\"Home & Kitchen\",\"price\":{Price(i)},\"currency\":\"USD\",\"stock\":{i % 50},\"brand\":\"Acme\"}}{(i < rows ? "," : "")}\n"));
        }

        writer.Write("]\n");
        return path;
    }

    public static string Xml(string folder, int rows)
    {
        var path = Path.Combine(folder, $"feed-{rows}.xml");
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<products>\n");
        for (var i = 1; i <= rows; i++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"<product><sku>XML-{i}</sku><name>Xml product {i}</name><description>Streaming XML row {i}</description><category>Home &amp; Kitchen</category><price>{Price(i)}</price><currency>USD</currency><stock>{i % 50}</stock><brand>Acme</brand></product>\n"));
        }

        writer.Write("</products>\n");
        return path;
    }

    /// <summary>Uploads the file as a stream, then polls the job (every 100 ms) until it ends; memory sampled throughout.</summary>
    public static async Task<IngestResult> IngestAsync(HttpClient partner, string path, string contentType, ServerMemory memory, int rows, string name)
    {
        var (result, peak, heap) = await memory.WhileAsync(async () =>
        {
            var clock = Stopwatch.StartNew();
            await using var file = File.OpenRead(path);
            using var content = new StreamContent(file, 1 << 16);
            content.Headers.ContentType = new(contentType);
            using var response = await partner.PostAsync("/api/partners/feeds", content);
            var receipt = clock.Elapsed.TotalMilliseconds;
            var job = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (!job.TryGetProperty("id", out var id))
            {
                throw new InvalidOperationException($"{name}: HTTP {(int)response.StatusCode} {job}");
            }

            var status = job;
            while (status.GetProperty("status").GetString() is "Queued" or "Validating" or "Processing")
            {
                await Task.Delay(100);
                status = await partner.GetFromJsonAsync<JsonElement>($"/api/partners/jobs/{id.GetString()}");
            }

            var seconds = clock.Elapsed.TotalSeconds;
            return new IngestResult(name, rows, Math.Round(new FileInfo(path).Length / 1048576.0, 1), (int)response.StatusCode, Math.Round(receipt, 1), status.GetProperty("status").GetString()!,
                status.GetProperty("created").GetInt32(), status.GetProperty("updated").GetInt32(), status.GetProperty("unchanged").GetInt32(), status.GetProperty("rejected").GetInt32(),
                Math.Round(seconds, 2), Math.Round(rows / seconds), 0, 0);
        });
        return result with { PeakRssMb = Math.Round(peak), PeakHeapMb = Math.Round(heap) };
    }

    /// <summary>Small feeds are processed inside the request: the answer is the report. 50 uploads of 20 rows, sequential.</summary>
    public static async Task<object> InlineReceiptsAsync(HttpClient partner, string folder)
    {
        var samples = new List<double>();
        for (var n = 0; n < 60; n++)
        {
            var body = new StringBuilder(Header + "\n");
            for (var i = 1; i <= 20; i++)
            {
                body.Append(CultureInfo.InvariantCulture, $"INLINE-{n}-{i},Inline product {i},Small feed,Home & Kitchen,{Price(i)},USD,{i},Acme,,\n");
            }

            using var content = new StringContent(body.ToString(), Encoding.UTF8, "text/csv");
            var start = Stopwatch.GetTimestamp();
            using var response = await partner.PostAsync("/api/partners/feeds", content);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"inline feed: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            if (n >= 10)
            {
                samples.Add(elapsed); // the first ten warm up
            }
        }

        samples.Sort();
        return new { @case = "inline-receipt", uploads = samples.Count, rowsEach = 20, p50Ms = Math.Round(samples[samples.Count / 2], 1), p99Ms = Math.Round(samples[(int)(samples.Count * 0.99)], 1), maxMs = Math.Round(samples[^1], 1) };
    }
}

internal static class Webhooks
{
    /// <summary>
    /// Open loop: delivery i is due at start + i/rate; its latency counts from that instant, so a slow server cannot make
    /// the generator wait and flatter the numbers. Each delivery sets the stock of one of the benchmark's SKUs. The first
    /// <paramref name="warmupSeconds"/> are sent at the same rate but not timed (as LoadGen's --warmup: the generator is a
    /// fresh process, and its own start — connections, JIT — is not the server's latency); they are counted and applied.
    /// </summary>
    public static async Task<object> RunAsync(HttpClient partner, string secret, int rate, int warmupSeconds, int seconds, int skus)
    {
        var warmup = rate * warmupSeconds;
        var total = warmup + rate * seconds;
        var histogram = new LongConcurrentHistogram(1, TimeSpan.FromSeconds(60).Ticks, 3);
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var run = Guid.NewGuid().ToString("N")[..8];
        var start = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            }

            var n = i;
            inFlight.Add(Task.Run(async () =>
            {
                var body = string.Create(CultureInfo.InvariantCulture, $"{{\"sku\":\"BENCH-{(n % skus) + 1}\",\"quantity\":{n % 90},\"sequence\":{n + 1}}}");
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/partners/webhooks/stock") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("X-Timestamp", timestamp);
                request.Headers.Add("X-Signature", "sha256=" + signature);
                request.Headers.Add("X-Delivery-Id", $"bench-{run}-{n}");
                var status = 0;
                try
                {
                    using var response = await partner.SendAsync(request);
                    status = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                }

                if (n >= warmup)
                {
                    histogram.RecordValue(Math.Max(1, Stopwatch.GetTimestamp() - due) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
                }

                statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
            }));
        }

        await Task.WhenAll(inFlight);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds - warmupSeconds;
        double Ms(double percentile) => Math.Round(histogram.GetValueAtPercentile(percentile) / (double)TimeSpan.TicksPerMillisecond, 2);
        return new
        {
            @case = "webhooks", deliveries = total, warmupDeliveries = warmup, targetRate = rate, achievedRate = Math.Round((total - warmup) / elapsed), ackP50Ms = Ms(50), ackP99Ms = Ms(99), ackP999Ms = Ms(99.9),
            statuses = statuses.OrderBy(s => s.Key).ToDictionary(s => s.Key.ToString(CultureInfo.InvariantCulture), s => s.Value), runId = run,
        };
    }
}
