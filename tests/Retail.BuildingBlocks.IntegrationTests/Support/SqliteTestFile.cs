using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.IntegrationTests.Support;

/// <summary>A SQLite file of a test's own, opened as a module opens its database (the connection settings included).</summary>
internal sealed class SqliteTestFile : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "retail-sqlite-file-tests", Guid.NewGuid().ToString("N"));

    public SqliteTestFile()
    {
        Directory.CreateDirectory(_folder);
        Path = System.IO.Path.Combine(_folder, "test.db");
    }

    public string Path { get; }

    /// <summary>A context on the file with <paramref name="database"/>'s settings (defaults when null) and extra connection-string options.</summary>
    public TestModuleDbContext Open(DatabaseOptions? database = null, string extra = "")
    {
        var builder = new DbContextOptionsBuilder<TestModuleDbContext>();
        ModuleDatabaseRegistration.ConfigureSqlite(builder, $"Data Source={Path}{extra}", TestModule.Name, database);
        return new TestModuleDbContext(builder.Options);
    }

    /// <summary>Creates the test module's tables, the file in WAL mode as the app runs it.</summary>
    public async Task CreateAsync()
    {
        await using var context = Open();
        await context.Database.EnsureCreatedAsync();
        await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
