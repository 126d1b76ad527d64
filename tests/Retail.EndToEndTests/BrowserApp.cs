using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Retail.Testing;

namespace Retail.EndToEndTests;

/// <summary>
/// The real app on Kestrel on a random loopback port (a real socket, as a browser needs), with its own SQLite file and
/// the demo data, driven by Debian's Chromium through Playwright. Playwright never downloads a browser here.
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    public const string DemoPassword = "Test-Passw0rd!";
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retail-e2e-" + Guid.NewGuid().ToString("N"));
    private AppFactory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>What the app logged (requests, warnings, errors), for the journeys' test output.</summary>
    public CapturingLoggerProvider Log { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Screenshots go to artifacts/e2e at the repository root, kept by CI as test artifacts.</summary>
    public static string ArtifactsFolder { get; } = FindArtifactsFolder();

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}. Run ./build/test.sh (it installs Debian's chromium) or apt-get install chromium.");
        }

        Directory.CreateDirectory(_folder);
        _factory = new AppFactory(Path.Combine(_folder, "retail.db"), Log);
        _factory.UseKestrel(0);
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)).Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // The machine has no network beyond loopback: keep Chromium from reaching out at start.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>
    /// How long one browser action or navigation may take. build/test.sh runs the test projects side by side on two cores,
    /// and under that load a page has taken more than 15 s to load (a journey failed so, then passed alone in 11 s).
    /// </summary>
    public const float ActionTimeoutMs = 30_000;

    /// <summary>A fresh browser context (own cookies) with the app's address as base URL; what the browser does goes to <see cref="Log"/>.</summary>
    public Task<IPage> NewPageAsync() => BrowserEventLog.NewLoggedPageAsync(Browser, BaseAddress, Log);

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsFolder, name + ".png"), FullPage = true });

    public static async Task SignInAsync(IPage page, string email, string password = DemoPassword)
    {
        await page.GotoAsync("/Identity/Login");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", password);
        await page.ClickAsync("main form button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static string FindArtifactsFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Retail.sln")))
        {
            dir = dir.Parent;
        }

        var folder = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", "e2e");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private sealed class AppFactory(string databasePath, CapturingLoggerProvider log) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:Retail", $"Data Source={databasePath}");
            builder.UseSetting("ConnectionStrings:Redis", "");
            builder.UseSetting("Seed:Demo", "true");
            builder.UseSetting("Seed:DemoPassword", DemoPassword);
            builder.UseSetting("Identity:SuperAdmin:Password", "Super-Passw0rd!42");
            builder.UseSetting("Jobs:ServerEnabled", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            LoggedJourney.Capture(builder, log);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserApp>
{
    public const string Name = "browser";
}
