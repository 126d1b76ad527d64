using Microsoft.Extensions.Logging;

namespace Retail.Testing;

/// <summary>
/// Keeps what the app under test logs, in memory: tests check that an event was logged (<see cref="Entries"/>), and the
/// browser journeys hand what was logged while they ran to their test output (<see cref="Mark"/>, <see cref="Since"/>).
/// Which levels arrive is the app's logging configuration's business (the provider keeps all it is given); the oldest
/// entries go first past <see cref="Capacity"/>.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public const int Capacity = 2_000;

    private readonly Lock _gate = new();
    private readonly Queue<Entry> _entries = new();
    private long _written;

    /// <summary>What was kept, oldest first.</summary>
    public IReadOnlyList<Entry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>A position in the log; <see cref="Since"/> returns what was logged after it.</summary>
    public long Mark()
    {
        lock (_gate)
        {
            return _written;
        }
    }

    public IReadOnlyList<Entry> Since(long mark)
    {
        lock (_gate)
        {
            var skip = (int)Math.Max(0, mark - (_written - _entries.Count));
            return [.. _entries.Skip(skip)];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(Entry entry)
    {
        lock (_gate)
        {
            _entries.Enqueue(entry);
            _written++;
            if (_entries.Count > Capacity)
            {
                _entries.Dequeue();
            }
        }
    }

    public sealed record Entry(DateTime At, LogLevel Level, string Category, int EventId, string Message, Exception? Exception)
    {
        public override string ToString()
        {
            var line = $"{At:HH:mm:ss.fff} {Level,-11} {Category}[{EventId}] {Message}";
            return Exception is null ? line : line + Environment.NewLine + Exception;
        }
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new Entry(DateTime.UtcNow, logLevel, category, eventId.Id, formatter(state, exception), exception));
    }
}
