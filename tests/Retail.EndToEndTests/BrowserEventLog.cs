using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Retail.Testing;

namespace Retail.EndToEndTests;

/// <summary>
/// Writes what the browser did on a page into the journeys' captured log, beside the app's own request log: each request
/// it sent and how it ended, navigations, the DOMContentLoaded and load events, console warnings and errors, and script
/// errors. A journey that timed out waiting for a page then shows whether the browser was waiting on a request the app
/// never saw, one the app answered, or an event that never fired.
/// </summary>
public static partial class BrowserEventLog
{
    public const string Category = "Retail.EndToEnd.Browser";

    /// <summary>A new page in a fresh browser context (own cookies) with <paramref name="baseAddress"/> as base URL, its events logged.</summary>
    public static async Task<IPage> NewLoggedPageAsync(IBrowser browser, Uri baseAddress, CapturingLoggerProvider log)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(log);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(BrowserApp.ActionTimeoutMs);
        // Expect(...) assertions wait for the page like actions do (their own default is 5 s), for the same reason.
        Assertions.SetDefaultExpectTimeout(BrowserApp.ActionTimeoutMs);
        var page = await context.NewPageAsync();
        Record(page, log.CreateLogger(Category));
        return page;
    }

    private static void Record(IPage page, ILogger logger)
    {
        // Each page gets a short name, so the lines of two pages of one journey (customer and staff) can be told apart.
        var name = "page-" + Guid.NewGuid().ToString("N")[..6];
        page.Request += (_, request) => LogRequest(logger, name, request.Method, request.Url);
        page.RequestFinished += (_, request) => LogRequestFinished(logger, name, request.Method, request.Url, request.Timing.ResponseEnd);
        page.RequestFailed += (_, request) => LogRequestFailed(logger, name, request.Method, request.Url, request.Failure ?? "");
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                LogNavigated(logger, name, frame.Url);
            }
        };
        page.DOMContentLoaded += (_, loaded) => LogDomContentLoaded(logger, name, loaded.Url);
        page.Load += (_, loaded) => LogLoad(logger, name, loaded.Url);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                LogConsole(logger, name, message.Type, message.Text);
            }
        };
        page.PageError += (_, error) => LogPageError(logger, name, error);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Page} request {Method} {Url}")]
    private static partial void LogRequest(ILogger logger, string page, string method, string url);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Page} finished {Method} {Url} (response ended {ResponseEndMs:0} ms after it started)")]
    private static partial void LogRequestFinished(ILogger logger, string page, string method, string url, float responseEndMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Page} failed {Method} {Url}: {Failure}")]
    private static partial void LogRequestFailed(ILogger logger, string page, string method, string url, string failure);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Page} navigated to {Url}")]
    private static partial void LogNavigated(ILogger logger, string page, string url);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "{Page} DOMContentLoaded {Url}")]
    private static partial void LogDomContentLoaded(ILogger logger, string page, string url);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Page} load {Url}")]
    private static partial void LogLoad(ILogger logger, string page, string url);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "{Page} console {Type}: {Text}")]
    private static partial void LogConsole(ILogger logger, string page, string type, string text);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "{Page} script error: {Error}")]
    private static partial void LogPageError(ILogger logger, string page, string error);
}
