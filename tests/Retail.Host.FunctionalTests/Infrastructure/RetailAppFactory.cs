using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Retail.Host.FunctionalTests.Infrastructure;

/// <summary>
/// The whole app (Program.cs, real middleware, real SQLite file) in memory. Each instance gets its own temp folder and
/// database, seeded with the demo catalog and users; the folder is deleted on dispose. Configuration goes in through
/// <c>UseSetting</c>, which Program.cs already sees while it registers services (<c>AddModuleDatabase</c> reads the
/// connection string from <c>builder.Configuration</c>); <see cref="PlatformTests"/> proves the file lands here.
/// </summary>
public class RetailAppFactory : WebApplicationFactory<Program>
{
    public const string DemoPassword = "Test-Passw0rd!";
    public const string SuperAdminEmail = "superadmin@retail.local";
    public const string SuperAdminPassword = "Super-Passw0rd!42";

    public RetailAppFactory()
    {
        Folder = Path.Combine(TempRoot(), "retail-functional-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The temp folder holding this instance's database.</summary>
    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "retail.db");

    /// <summary>
    /// RAM-backed /dev/shm when the machine has it (SQLite commits there cost no disk flush, which makes startup's
    /// seeding and the outbox relay several times faster); the usual temp folder otherwise.
    /// </summary>
    private static string TempRoot() =>
        OperatingSystem.IsLinux() && Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>Settings as Program.cs reads them; subclasses change what they need.</summary>
    protected virtual IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Retail"] = $"Data Source={DatabasePath}",
        // Never pick up a Redis from the environment: the cache and limits must be per factory.
        ["ConnectionStrings:Redis"] = "",
        ["Database:Provider"] = "Sqlite",
        ["Database:MigrateOnStartup"] = "true",
        ["Seed:Demo"] = "true",
        ["Seed:DemoPassword"] = DemoPassword,
        ["Identity:SuperAdmin:Email"] = SuperAdminEmail,
        ["Identity:SuperAdmin:Password"] = SuperAdminPassword,
        // No Hangfire server: outbox rows are delivered by the in-process post-commit nudge.
        ["Jobs:ServerEnabled"] = "false",
        // The checkout gate's 2 s queue limit is about real time on a machine under attack; a test burst on a busy CI
        // machine must be decided by stock and limits only. The gate itself is tested in the FlashSales integration tests.
        ["Ordering:CheckoutGate:QueueTimeout"] = "00:02:00",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // As deployed: no developer exception page, minimal APIs do not throw on bad requests by default.
        builder.UseEnvironment("Production");
        foreach (var (key, value) in Settings())
        {
            builder.UseSetting(key, value);
        }

        // Production skips these checks; a functional test run should still catch a broken registration.
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = true;
        });
    }

    /// <summary>
    /// Hangfire keeps its log provider in a process-wide static that each starting host points at its own
    /// LoggerFactory (and <c>new InMemoryStorage()</c> asks it for a logger while Program.cs registers services).
    /// With several hosts per test process, a host disposed by another test class would leave that static pointing at a
    /// disposed LoggerFactory and break the next host's startup. So hosts start one at a time, and afterwards the static
    /// points at a logger factory that is never disposed.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        lock (HangfireGlobals)
        {
            LogProvider.SetCurrentLogProvider(HangfireQuietLogs);
            try
            {
                return base.CreateHost(builder);
            }
            finally
            {
                LogProvider.SetCurrentLogProvider(HangfireQuietLogs);
            }
        }
    }

    private static readonly Lock HangfireGlobals = new();
    private static readonly ILogProvider HangfireQuietLogs = new AspNetCoreLogProvider(NullLoggerFactory.Instance);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
        {
            return;
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still held open must not fail the run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>
/// The app started against a database it cannot open, without migrating at start (production mode): it must still
/// serve, report itself live and not ready, and show friendly errors.
/// </summary>
public sealed class UnavailableDatabaseAppFactory : RetailAppFactory
{
    public const string UnreachableDatabase = "/proc/nonexistent/retail.db";

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Database:MigrateOnStartup"] = "false";
        settings["ConnectionStrings:Retail"] = $"Data Source={UnreachableDatabase}";
        settings["Logging:LogLevel:Default"] = "None";
        return settings;
    }
}
