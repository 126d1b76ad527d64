using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Retail.Modules.Monitoring.Application;
using Retail.Modules.Monitoring.Application.Logs;

namespace Retail.Modules.Monitoring.Infrastructure.Logging;

/// <summary>
/// Keeps the last entries of every log category in <see cref="RecentLogBuffer"/> for the dashboard, with the trace id
/// and request id (from the current activity and the ASP.NET Core request scope) so an admin can find the entry behind
/// a reference id from an error page. Only the exception's type is kept, never its message or stack trace.
/// Levels follow the host's <c>Logging:LogLevel</c> filters like every provider.
/// </summary>
[ProviderAlias("RecentLogs")]
internal sealed class RecentLogsLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly RecentLogBuffer _buffer;
    private readonly TimeProvider _time;
    private readonly Counter<long> _entries;
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public RecentLogsLoggerProvider(RecentLogBuffer buffer, TimeProvider time, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _buffer = buffer;
        _time = time;
        _entries = meterFactory.Create(MonitoringModule.MeterName)
            .CreateCounter<long>("retail.monitoring.log_entries", description: "Log entries written, by level");
    }

    public ILogger CreateLogger(string categoryName) => new RecentLogsLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Write(string category, LogLevel level, string message, Exception? exception)
    {
        string? requestId = null;
        string? scopeTraceId = null;
        _scopes.ForEachScope(
            (scope, _) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        if (key == "RequestId" && value is not null)
                        {
                            requestId = value.ToString();
                        }
                        else if (key == "TraceId" && value is not null)
                        {
                            scopeTraceId = value.ToString();
                        }
                    }
                }
            },
            (object?)null);
        var traceId = Activity.Current is { } activity ? activity.TraceId.ToString() : scopeTraceId;
        _buffer.Add(new RecentLogEntryDto(_time.GetUtcNow(), level.ToString(), category, message, traceId, requestId, exception?.GetType().FullName));
        _entries.Add(1, new KeyValuePair<string, object?>("level", level.ToString()));
    }

    private sealed class RecentLogsLogger(RecentLogsLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            ArgumentNullException.ThrowIfNull(formatter);
            provider.Write(category, logLevel, formatter(state, null), exception);
        }
    }
}
