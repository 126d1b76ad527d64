namespace Retail.Modules.Payments.IntegrationTests;

/// <summary>
/// One real SQLite file per test class, migrated once with the real migrations by the first host. Every test gets its
/// own <see cref="PaymentsTestHost"/> (fresh breaker, simulator and clock) over this file; keys are unique per test.
/// </summary>
public sealed class PaymentsDatabase : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retail-payments-it-" + Guid.NewGuid().ToString("N"));

    public PaymentsDatabase()
    {
        Directory.CreateDirectory(_folder);
        ConnectionString = $"Data Source={Path.Combine(_folder, "payments.db")}";
    }

    public string ConnectionString { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind must not fail a green run.
        }
    }
}
