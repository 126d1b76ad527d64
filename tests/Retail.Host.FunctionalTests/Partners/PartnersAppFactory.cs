using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Partners;

/// <summary>
/// The app with Partners settings for tests: feeds stored in a folder the test may share with a second app instance
/// (restart over the same database file), small inline limit and batches, callbacks to loopback allowed, fast backoff.
/// </summary>
public sealed class PartnersAppFactory : RetailAppFactory
{
    private readonly string? dataFolder;
    private readonly bool jobServer;
    private readonly Action<IServiceCollection>? services;

    /// <summary>The class-fixture form: own folder, no job server.</summary>
    public PartnersAppFactory()
    {
    }

    internal PartnersAppFactory(string? dataFolder, bool jobServer, Action<IServiceCollection>? services = null)
    {
        this.dataFolder = dataFolder;
        this.jobServer = jobServer;
        this.services = services;
    }

    public string DataFolder => dataFolder ?? Folder;

    public string DataDatabasePath => Path.Combine(DataFolder, "retail.db");

    public string MailFolder => Path.Combine(DataFolder, "mail");

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["ConnectionStrings:Retail"] = $"Data Source={DataDatabasePath}";
        settings["Partners:StorageFolder"] = Path.Combine(DataFolder, "feeds");
        settings["Partners:InlineMaxBytes"] = "2048";
        settings["Partners:BatchSize"] = "100";
        settings["Partners:MaxFeedBytes"] = (12L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Partners:AllowPrivateCallbackUrls"] = "true";
        settings["Partners:CallbackBaseDelay"] = "00:00:00.010";
        settings["Email:PickupFolder"] = MailFolder;
        settings["Jobs:ServerEnabled"] = jobServer ? "true" : "false";
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    /// <summary>Reads one number from the shared SQLite file (assertions on what the database holds).</summary>
    public long Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={DataDatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public string? Text(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={DataDatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar() as string;
    }
}

/// <summary>A partner created through the back office pages, with a live and a sandbox key.</summary>
public sealed record TestPartner(Guid Id, string Name, string LiveKey, string SandboxKey, string WebhookSecret)
{
    /// <summary>Catalog stores the owning partner as the id without dashes.</summary>
    public string CatalogId => Id.ToString("N");
}

public static partial class PartnerSetup
{
    /// <summary>Creates a partner and two keys through /admin/partners as the catalog admin (the keys are read from the one-time display).</summary>
    public static async Task<TestPartner> CreatePartnerAsync(this RetailAppFactory factory, bool strict = false, string? callbackUrl = null)
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Catalog);
        var name = "Partner " + Guid.NewGuid().ToString("N")[..8];
        var created = await AppClient.PostFormAsync(admin, "/admin/partners", new Dictionary<string, string>
        {
            ["Input.Name"] = name,
            ["Input.ContactEmail"] = "feeds@partner.example",
            ["Input.CallbackUrl"] = callbackUrl ?? "",
            ["Input.StrictMode"] = strict ? "true" : "false",
        });
        created.StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect, Html.Text(await created.Content.ReadAsStringAsync()));
        var page = created.RedirectTarget().AbsolutePath;
        var id = Guid.Parse(page.Split('/').Last());
        var live = await CreateKeyAsync(admin, page, "live key", sandbox: false);
        var sandbox = await CreateKeyAsync(admin, page, "sandbox key", sandbox: true);
        var secret = await IssueWebhookSecretAsync(admin, page);
        return new TestPartner(id, name, live, sandbox, secret);
    }

    public static async Task<string> CreateKeyAsync(HttpClient admin, string page, string name, bool sandbox)
    {
        var response = await AppClient.PostFormAsync(admin, page, new Dictionary<string, string>
        {
            ["Key.Name"] = name,
            ["Key.Sandbox"] = sandbox ? "true" : "false",
        }, postTo: page + "?handler=CreateKey");
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, Html.Text(html));
        var key = Html.ElementText(html, "new-key-value");
        key.ShouldStartWith(sandbox ? "rk_test_" : "rk_live_");
        return key;
    }

    /// <summary>Issues a new webhook secret on the partner's back-office page and reads it from the one-time display.</summary>
    public static async Task<string> IssueWebhookSecretAsync(HttpClient client, string page, int overlapHours = 0)
    {
        var response = await AppClient.PostFormAsync(client, page, new Dictionary<string, string> { ["overlapHours"] = overlapHours.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            postTo: page + "?handler=RotateWebhookSecret");
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, Html.Text(html));
        var secret = Html.ElementText(html, "new-webhook-secret-value");
        SecretPattern().IsMatch(secret).ShouldBeTrue(secret);
        return secret;
    }

    public static HttpClient PartnerClient(this RetailAppFactory factory, string? apiKey)
    {
        var client = factory.AnonymousApi();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    public static async Task<HttpResponseMessage> PostFeedAsync(this HttpClient client, string content, string fileName, string query = "", string? idempotencyKey = null) =>
        await client.PostFeedAsync(System.Text.Encoding.UTF8.GetBytes(content), fileName, query, idempotencyKey);

    public static async Task<HttpResponseMessage> PostFeedAsync(this HttpClient client, byte[] content, string fileName, string query = "", string? idempotencyKey = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/partners/feeds" + query) { Content = form };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Partners", "Fixtures", name));

    public static byte[] FixtureBytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Partners", "Fixtures", name));

    /// <summary>A CSV feed of <paramref name="rows"/> valid products with SKUs <c>{prefix}-{n}</c>.</summary>
    public static string CsvFeed(string prefix, int rows, decimal price = 10.00m, int stock = 5)
    {
        var builder = new System.Text.StringBuilder("sku,name,price,currency,stock\n");
        for (var i = 1; i <= rows; i++)
        {
            builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}-{i},Product {i},{price},USD,{stock}\n");
        }

        return builder.ToString();
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex SecretPattern();
}
