using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Retail.EndToEndTests;

/// <summary>
/// What the app under test logged, kept in memory so a journey can hand it to its test's output: a journey that waits
/// 30 s for a page and fails should show what the server did meanwhile (each request with its status and duration,
/// warnings and errors), not only the browser's timeout. The app's console stays at Warning; this provider also takes
/// the request log and the app's own Information.
/// </summary>
public sealed class AppLog : ILoggerProvider
{
    /// <summary>Lines kept; the oldest go first (a journey makes a few hundred requests at most).</summary>
    private const int Capacity = 2_000;

    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();
    private long _written;

    /// <summary>Adds the provider to the app's logging with its own levels (provider-specific rules win over the default).</summary>
    public void AttachTo(IWebHostBuilder builder) =>
        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(this);
            logging.AddFilter<AppLog>(null, LogLevel.Warning);
            logging.AddFilter<AppLog>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information);
            logging.AddFilter<AppLog>("Retail", LogLevel.Information);
        });

    /// <summary>A position in the log; <see cref="Since"/> returns what was logged after it.</summary>
    public long Mark()
    {
        lock (_gate)
        {
            return _written;
        }
    }

    public IReadOnlyList<string> Since(long mark)
    {
        lock (_gate)
        {
            var skip = (int)Math.Max(0, mark - (_written - _lines.Count));
            return _lines.Skip(skip).ToList();
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            _written++;
            if (_lines.Count > Capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    private sealed class Logger(AppLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {category}[{eventId.Id}] {formatter(state, exception)}";
            log.Write(exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}

/// <summary>
/// A browser journey whose test output ends with what the app logged while it ran. xunit shows a test's output with
/// its failure (and keeps it in the TRX file), so a timed-out journey says what the server was doing.
/// </summary>
public abstract class LoggedJourney(AppLog log, ITestOutputHelper output) : IDisposable
{
    private readonly long _mark = log.Mark();

    public void Dispose()
    {
        var lines = log.Since(_mark);
        output.WriteLine($"--- the app's log during this test ({lines.Count} lines: requests, Retail information, warnings and errors) ---");
        foreach (var line in lines)
        {
            output.WriteLine(line);
        }

        GC.SuppressFinalize(this);
    }
}
