using Microsoft.Extensions.Logging;

namespace Retail.Modules.Monitoring.Application.Logs;

/// <summary>
/// One structured log entry as the dashboard shows it. Never carries exception text or stack traces: only the
/// exception's type name (the full entry is in the JSON console log, found by the same trace id).
/// </summary>
public sealed record RecentLogEntryDto(
    DateTimeOffset Timestamp,
    string Level,
    string Category,
    string Message,
    string? TraceId,
    string? RequestId,
    string? ExceptionType);

/// <summary>The last <see cref="Capacity"/> log entries of this instance, in a ring buffer (oldest dropped first).</summary>
public sealed class RecentLogBuffer
{
    public const int DefaultCapacity = 500;
    public const int MaxMessageLength = 2000;

    private readonly Lock _lock = new();
    private readonly RecentLogEntryDto?[] _entries;
    private int _next;
    private long _written;

    public RecentLogBuffer(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _entries = new RecentLogEntryDto?[capacity];
    }

    public int Capacity => _entries.Length;

    /// <summary>Entries written since the start, including those already dropped.</summary>
    public long Written => Interlocked.Read(ref _written);

    public void Add(RecentLogEntryDto entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Message.Length > MaxMessageLength)
        {
            entry = entry with { Message = entry.Message[..MaxMessageLength] + "…" };
        }

        lock (_lock)
        {
            _entries[_next] = entry;
            _next = (_next + 1) % _entries.Length;
            _written++;
        }
    }

    /// <summary>
    /// Newest first: entries at or above <paramref name="minimumLevel"/> (all when null) whose trace id or request id
    /// equals <paramref name="search"/>, or whose message or category contains it (all when empty).
    /// </summary>
    public IReadOnlyList<RecentLogEntryDto> Query(LogLevel? minimumLevel = null, string? search = null, int take = DefaultCapacity)
    {
        var term = search?.Trim();
        var result = new List<RecentLogEntryDto>();
        lock (_lock)
        {
            for (var i = 1; i <= _entries.Length && result.Count < take; i++)
            {
                var entry = _entries[((_next - i) % _entries.Length + _entries.Length) % _entries.Length];
                if (entry is null)
                {
                    break;
                }

                if (minimumLevel is { } min && Enum.Parse<LogLevel>(entry.Level) < min)
                {
                    continue;
                }

                if (!string.IsNullOrEmpty(term) && !Matches(entry, term))
                {
                    continue;
                }

                result.Add(entry);
            }
        }

        return result;
    }

    private static bool Matches(RecentLogEntryDto entry, string term) =>
        string.Equals(entry.TraceId, term, StringComparison.OrdinalIgnoreCase)
        || string.Equals(entry.RequestId, term, StringComparison.OrdinalIgnoreCase)
        || entry.Message.Contains(term, StringComparison.OrdinalIgnoreCase)
        || entry.Category.Contains(term, StringComparison.OrdinalIgnoreCase);
}
