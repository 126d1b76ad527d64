using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Retail.BuildingBlocks.Infrastructure.Redis;

/// <summary>
/// The app's one Redis multiplexer when <c>ConnectionStrings:Redis</c> is set. It never blocks startup: it connects
/// lazily with AbortOnConnectFail off, so the multiplexer keeps reconnecting in the background after an outage.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer?> _multiplexer;
    private readonly ILogger<RedisConnection> _logger;

    public RedisConnection(string? connectionString, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        ConnectionString = string.IsNullOrWhiteSpace(connectionString) ? null : connectionString;
        _multiplexer = new Lazy<ConnectionMultiplexer?>(Connect, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string? ConnectionString { get; }

    public bool IsConfigured => ConnectionString is not null;

    /// <summary>The multiplexer, or null when Redis is not configured.</summary>
    public IConnectionMultiplexer? Multiplexer => _multiplexer.Value;

    public bool IsConnected => Multiplexer?.IsConnected == true;

    /// <summary>Key prefix that keeps this app's keys apart from anything else sharing the server.</summary>
    public static string Key(string name) => "retail:" + name;

    private ConnectionMultiplexer? Connect()
    {
        if (ConnectionString is null)
        {
            return null;
        }

        var options = ConfigurationOptions.Parse(ConnectionString);
        options.AbortOnConnectFail = false;
        // Short timeouts by default so a stalled Redis turns into the in-process fallback quickly; a value written in the
        // connection string (connectTimeout=, syncTimeout=, asyncTimeout=) wins.
        options.ConnectTimeout = Explicit("connectTimeout") ? options.ConnectTimeout : 2000;
        options.SyncTimeout = Explicit("syncTimeout") ? options.SyncTimeout : 1000;
        options.AsyncTimeout = Explicit("asyncTimeout") ? options.AsyncTimeout : 1000;
        var multiplexer = ConnectionMultiplexer.Connect(options);
        multiplexer.ConnectionFailed += (_, e) => _logger.LogWarning("Redis connection to {Endpoint} failed: {FailureType}", e.EndPoint, e.FailureType);
        multiplexer.ConnectionRestored += (_, e) => _logger.LogInformation("Redis connection to {Endpoint} restored", e.EndPoint);
        return multiplexer;
    }

    private bool Explicit(string option) => ConnectionString!.Contains(option + "=", StringComparison.OrdinalIgnoreCase);

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value?.Dispose();
        }
    }
}

/// <summary>
/// Connects to Redis while the app starts, off the request path: otherwise the first burst of requests would all wait
/// on the one synchronous connect and could starve the thread pool. Never fails startup; an unreachable Redis just
/// leaves the app on its in-process fallbacks until the multiplexer reconnects.
/// </summary>
internal sealed class RedisConnectionWarmup(RedisConnection redis) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis.IsConfigured)
        {
            _ = Task.Run(() => redis.Multiplexer, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
