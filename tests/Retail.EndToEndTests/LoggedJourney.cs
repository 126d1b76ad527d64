using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Retail.Testing;
using Xunit.Abstractions;

namespace Retail.EndToEndTests;

/// <summary>
/// A browser journey whose test output ends with what the app logged while it ran. xunit shows a test's output with
/// its failure (and keeps it in the TRX file), so a journey that waited 30 s for a page and failed shows what the server
/// did meanwhile (each request with its status and duration, warnings and errors) and what the browser did
/// (<see cref="BrowserEventLog"/>: its requests, navigations and load events), not only the browser's timeout.
/// </summary>
public abstract class LoggedJourney(CapturingLoggerProvider log, ITestOutputHelper output) : IDisposable
{
    private readonly long _mark = log.Mark();

    /// <summary>
    /// Adds <paramref name="log"/> to the e2e app's logging with its own levels (provider rules win over the default):
    /// the app's console stays at Warning, the journeys' log also gets the request log and the app's own Information.
    /// </summary>
    public static void Capture(IWebHostBuilder builder, CapturingLoggerProvider log) =>
        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(log);
            logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Warning);
            logging.AddFilter<CapturingLoggerProvider>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information);
            logging.AddFilter<CapturingLoggerProvider>("Retail", LogLevel.Information);
        });

    public void Dispose()
    {
        var entries = log.Since(_mark);
        output.WriteLine($"--- the app's and the browser's log during this test ({entries.Count} entries: requests, Retail information, browser events, warnings and errors) ---");
        foreach (var entry in entries)
        {
            output.WriteLine(entry.ToString());
        }

        GC.SuppressFinalize(this);
    }
}
