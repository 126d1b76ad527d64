using Microsoft.Extensions.Logging.Abstractions;
using Retail.BuildingBlocks.Infrastructure.Redis;
using StackExchange.Redis;

namespace Retail.BuildingBlocks.IntegrationTests.Support;

/// <summary>
/// The real Redis server the Redis tests run against, from <c>RETAIL_TEST_REDIS</c> (build/test.sh starts one and sets
/// it). When it is missing or silent, every test that needs it fails with instructions: never a silent skip or pass.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public const string Variable = "RETAIL_TEST_REDIS";

    /// <summary>Nothing listens on port 1; short timeouts keep the failing calls quick.</summary>
    public const string Unreachable = "127.0.0.1:1,connectTimeout=200,asyncTimeout=300,syncTimeout=300,connectRetry=0";

    private const string HowToStart =
        " The Redis tests need a real Redis server. Run build/test.sh (it starts one and sets " + Variable + "), or start one "
        + "yourself: `redis-server --port 6391 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes` and "
        + "`export " + Variable + "=127.0.0.1:6391`.";

    private readonly List<RedisConnection> _connections = [];
    private string? _connectionString;
    private string _problem = "";

    /// <summary>The server's address; throws with instructions when there is no server.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException(_problem + HowToStart);

    /// <summary>
    /// The server's address with patient timeouts, for a test's "app instance": test classes run in parallel against this
    /// one server and process (one races 2,000 attempts), and the app's 1 s default would turn that queueing into a
    /// fallback the test did not ask for. The fallback itself is tested on purpose: ConnectUnreachable, and errors injected
    /// through the real server.
    /// </summary>
    public string PatientConnectionString => ConnectionString + ",connectTimeout=10000,syncTimeout=10000,asyncTimeout=10000";

    /// <summary>
    /// A new, connected connection (a new "app instance"), disposed with the fixture. Connected up front so that tests
    /// measure the feature, not the lazy first connect (which is synchronous, and slow when many callers race for it).
    /// </summary>
    internal RedisConnection Connect()
    {
        var connection = Track(new RedisConnection(PatientConnectionString, NullLogger<RedisConnection>.Instance));
        // Bounded poll: the multiplexer keeps connecting in the background when its first attempt was slow.
        if (!SpinWait.SpinUntil(() => connection.IsConnected, TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException($"Redis at {ConnectionString} answered PING but a new connection did not connect within 10 s.");
        }

        return connection;
    }

    internal RedisConnection ConnectUnreachable() => Track(new RedisConnection(Unreachable, NullLogger<RedisConnection>.Instance));

    /// <summary>A test-scoped prefix so tests sharing the server never share keys.</summary>
    public static string UniqueKey(string name) => $"test:{Guid.NewGuid():N}:{name}";

    public async Task InitializeAsync()
    {
        var address = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(address))
        {
            _problem = $"{Variable} is not set.";
            return;
        }

        try
        {
            var options = ConfigurationOptions.Parse(address);
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = 2000;
            options.ConnectRetry = 1;
            await using var probe = await ConnectionMultiplexer.ConnectAsync(options);
            await probe.GetDatabase().PingAsync();
            _connectionString = address;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ArgumentException)
        {
            _problem = $"Redis at {Variable}={address} does not answer PING ({ex.GetType().Name}: {ex.Message}).";
        }
    }

    public Task DisposeAsync()
    {
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            _connections.Clear();
        }

        return Task.CompletedTask;
    }

    private RedisConnection Track(RedisConnection connection)
    {
        lock (_connections)
        {
            _connections.Add(connection);
        }

        return connection;
    }
}
