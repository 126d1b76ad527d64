using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

// Ingest benchmark (not a test): the whole app in process on a SQLite file, a partner and key created through the back
// office pages, then one CSV of N rows through POST /api/partners/feeds as a background job, timed until Completed.
// Then the auth overhead: the same cheap GET with and without the X-Api-Key check, sequentially.
// The Host's content root (pages, wwwroot) inside the repository, wherever this console runs from.
var repository = new DirectoryInfo(AppContext.BaseDirectory);
while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Retail.sln")))
{
    repository = repository.Parent;
}

BenchApp.ContentRoot = Path.Combine(repository!.FullName, "src", "Host", "Retail.Host");
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var folder = Path.Combine(Path.GetTempPath(), "retail-ingest-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    await using var app = new BenchApp(folder);
    using var admin = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    await PostFormAsync(admin, "/Identity/Login", new() { ["Input.Email"] = "catalog@retail.local", ["Input.Password"] = BenchApp.Password });
    var created = await PostFormAsync(admin, "/admin/partners", new() { ["Input.Name"] = "Bench partner", ["Input.ContactEmail"] = "bench@partner.example" });
    var page = created.Headers.Location!.OriginalString;
    var keyPage = await (await PostFormAsync(admin, page, new() { ["Key.Name"] = "bench" }, page + "?handler=CreateKey")).Content.ReadAsStringAsync();
    var key = Regex.Match(keyPage, "id=\"new-key-value\">([^<]+)<").Groups[1].Value;

    var csv = new StringBuilder("sku,name,description,category,price,currency,stock,brand,gtin,image_url\n");
    for (var i = 1; i <= rows; i++)
    {
        csv.Append(CultureInfo.InvariantCulture, $"BENCH-{i},Bench product {i},A product of the ingest benchmark number {i},Home & Kitchen,{10 + i % 90}.99,USD,{i % 50},Acme,,https://cdn.example.com/{i}.jpg\n");
    }

    var body = Encoding.UTF8.GetBytes(csv.ToString());
    using var partner = app.CreateClient();
    partner.DefaultRequestHeaders.Add("X-Api-Key", key);
    partner.Timeout = TimeSpan.FromMinutes(30);
    var clock = Stopwatch.StartNew();
    using var content = new ByteArrayContent(body);
    content.Headers.ContentType = new("text/csv");
    var response = await partner.PostAsync("/api/partners/feeds", content);
    var receipt = clock.Elapsed;
    var job = await response.Content.ReadFromJsonAsync<JsonElement>();
    var id = job.GetProperty("id").GetString();
    JsonElement status;
    do
    {
        await Task.Delay(250);
        status = await partner.GetFromJsonAsync<JsonElement>($"/api/partners/jobs/{id}");
    }
    while (status.GetProperty("status").GetString() is "Queued" or "Validating" or "Processing");
    var total = clock.Elapsed;
    Console.WriteLine($"ingest: {rows:N0} rows, {body.Length / 1024.0 / 1024.0:0.0} MB CSV, HTTP {(int)response.StatusCode} receipt in {receipt.TotalMilliseconds:0} ms, " +
        $"status {status.GetProperty("status").GetString()}, created {status.GetProperty("created").GetInt32():N0}, rejected {status.GetProperty("rejected").GetInt32()}, " +
        $"{total.TotalSeconds:0.0} s total = {rows / total.TotalSeconds:N0} rows/s");

    // Re-ingest the same rows in new bytes (unchanged detection): nothing is written.
    clock.Restart();
    using var again = new ByteArrayContent([.. body, (byte)'\n']);
    again.Headers.ContentType = new("text/csv");
    var second = await (await partner.PostAsync("/api/partners/feeds", again)).Content.ReadFromJsonAsync<JsonElement>();
    do
    {
        await Task.Delay(250);
        status = await partner.GetFromJsonAsync<JsonElement>($"/api/partners/jobs/{second.GetProperty("id").GetString()}");
    }
    while (status.GetProperty("status").GetString() is "Queued" or "Validating" or "Processing");
    Console.WriteLine($"re-ingest unchanged: {status.GetProperty("unchanged").GetInt32():N0} unchanged, {status.GetProperty("created").GetInt32()} created, " +
        $"{status.GetProperty("updated").GetInt32()} updated in {clock.Elapsed.TotalSeconds:0.0} s = {rows / clock.Elapsed.TotalSeconds:N0} rows/s");

    // Auth overhead: GET /api/partners/jobs/{unknown} (key check + audit row + 404) vs GET /health/live.
    using var anonymous = app.CreateClient();
    var unknown = $"/api/partners/jobs/{Guid.NewGuid()}";
    for (var i = 0; i < 50; i++)
    {
        await partner.GetAsync(unknown);
        await anonymous.GetAsync("/health/live");
    }

    var withKey = await MeasureAsync(() => partner.GetAsync(unknown), HttpStatusCode.NotFound);
    var noAuth = await MeasureAsync(() => anonymous.GetAsync("/health/live"), HttpStatusCode.OK);
    Console.WriteLine($"auth: X-Api-Key request p50 {withKey.P50:0.00} ms p95 {withKey.P95:0.00} ms; /health/live p50 {noAuth.P50:0.00} ms p95 {noAuth.P95:0.00} ms; " +
        $"overhead p50 {withKey.P50 - noAuth.P50:0.00} ms, p95 {withKey.P95 - noAuth.P95:0.00} ms");
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

static async Task<(double P50, double P95)> MeasureAsync(Func<Task<HttpResponseMessage>> call, HttpStatusCode expected)
{
    var samples = new List<double>(1000);
    for (var i = 0; i < 1000; i++)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await call();
        samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"unexpected {(int)response.StatusCode}");
        }
    }

    samples.Sort();
    return (samples[500], samples[950]);
}

static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, Dictionary<string, string> fields, string? postTo = null)
{
    var html = await client.GetStringAsync(page);
    var input = Regex.Match(html, "<input[^>]*name=\"__RequestVerificationToken\"[^>]*>").Value;
    fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(Regex.Match(input, "\\bvalue=\"([^\"]*)").Groups[1].Value);
    return await client.PostAsync(postTo ?? page, new FormUrlEncodedContent(fields));
}

internal sealed class BenchApp(string folder) : WebApplicationFactory<Retail.Host.Pages.RetailPageModel>
{
    public const string Password = "Bench-Passw0rd!";

    public static string ContentRoot { get; set; } = "";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("TEST_CONTENTROOT_RETAIL_HOST", ContentRoot);
        builder.UseContentRoot(ContentRoot);
        builder.UseSetting("ConnectionStrings:Retail", $"Data Source={Path.Combine(folder, "retail.db")}");
        builder.UseSetting("ConnectionStrings:Redis", "");
        builder.UseSetting("Seed:DemoPassword", Password);
        builder.UseSetting("Identity:SuperAdmin:Password", Password + "x");
        builder.UseSetting("Partners:StorageFolder", Path.Combine(folder, "feeds"));
        builder.UseSetting("Email:PickupFolder", Path.Combine(folder, "mail"));
        builder.UseSetting("Jobs:ServerEnabled", "true");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}
