using Microsoft.Data.Sqlite;

namespace Retail.BuildingBlocks.IntegrationTests.Persistence;

/// <summary>
/// Microsoft.Data.Sqlite up to 10.0.11 could lend one pooled native connection to two open <see cref="SqliteConnection"/>s
/// at once (dotnet/efcore#39008: an activation racing the pool's reclaim of "leaked" connections). Two requests then
/// shared a transaction: a checkout storm here failed with "Safety level may not be changed inside a transaction" and
/// "This SqliteTransaction has completed". The fix shipped in 10.0.14; this test fails within a few waves on 10.0.11 and
/// guards against the package going back.
/// </summary>
public sealed class SqliteConnectionPoolTests : IDisposable
{
    private const int Width = 16;
    private const int Waves = 1000;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retail-sqlite-pool-tests", Guid.NewGuid().ToString("N"));

    public SqliteConnectionPoolTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Concurrent_opens_never_share_one_pooled_native_connection()
    {
        var connectionString = $"Data Source={Path.Combine(_folder, "pool.db")}";
        for (var wave = 0; wave < Waves; wave++)
        {
            var connections = new SqliteConnection[Width];
            using (var start = new Barrier(Width))
            {
                // Dedicated threads released together: the race is between opens running at the same moment.
                var threads = Enumerable.Range(0, Width).Select(i => new Thread(() =>
                {
                    var connection = new SqliteConnection(connectionString);
                    start.SignalAndWait();
                    connection.Open();
                    connections[i] = connection;
                })).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
            }

            var handles = connections.Select(c => c.Handle!.DangerousGetHandle()).ToList();
            handles.Distinct().Count().ShouldBe(Width, $"wave {wave}: two open connections were given the same native connection");
            foreach (var connection in connections)
            {
                connection.Dispose();
            }

            // Every other wave starts from an empty pool, so opens race to create (and reclaim) connections.
            if (wave % 2 == 0)
            {
                SqliteConnection.ClearPool(connections[0]);
            }
        }
    }
}
