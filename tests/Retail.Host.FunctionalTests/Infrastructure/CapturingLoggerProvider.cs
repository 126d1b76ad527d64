using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Retail.Host.FunctionalTests.Infrastructure;

/// <summary>Keeps what the app logs at Warning and above, for tests that check an event was logged.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, int EventId, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Entries.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
            }
        }
    }
}
