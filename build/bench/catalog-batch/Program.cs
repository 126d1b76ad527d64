using System.Diagnostics;
using System.Globalization;
using FluentValidation;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Catalog.Application;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products.PartnerProducts;
using Retail.Modules.Catalog.Infrastructure;
using Retail.Modules.Catalog.IntegrationEvents;

// Catalog's side of a partner feed (a measuring tool, not a test):
//
//   dotnet run -c Release --project build/bench/catalog-batch -- [--rows 200000] [--batch 500] [--folder /tmp/x]
//
// Sends UpsertPartnerProducts batches the way the Partners feed job does (one fresh DI scope per batch, keyed by the
// batch's first row) through the command's validator and Catalog's real unit of work, into a migrated SQLite file
// (WAL, synchronous=FULL as the app's default). Phases: every row new; the same rows again (all unchanged); every row
// changed (price on even rows, stock on odd ones); the first phase's keys replayed (answers only), after a warm-up round
// on other SKUs. Prints per phase rows/s, ms per batch, process CPU time, managed bytes allocated per row, and the SQL
// commands per batch with their time and the commit's (EF interceptors); fails when a phase's counts are wrong.
var rows = Arg("--rows", 200_000);
var batchSize = Arg("--batch", 500);
var folder = args.SkipWhile(a => a != "--folder").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "catalog-batch-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Retail"] = $"Data Source={Path.Combine(folder, "catalog.db")}" })
    .Build();
var services = new ServiceCollection();
services.AddLogging();
services.AddSingleton(TimeProvider.System);
services.AddSingleton<ICurrentUser, FeedJobUser>();
services.AddSingleton<IOutboxNudge, NoNudges>();
var timing = new DatabaseTiming();
services.AddSingleton<IInterceptor>(timing);
services.AddHybridCache();
services.AddCatalogModule(configuration);
await using var provider = services.BuildServiceProvider();
await provider.MigrateModuleDatabasesAsync();

var partner = Guid.NewGuid().ToString("N");
var measured = rows;
// Warm-up (not reported, other SKUs): the JIT's tiering would otherwise be counted in the first phases' CPU time.
rows = Math.Min(measured, 20_000);
await PhasesAsync(first: 5_000_001, report: false);
rows = measured;
await PhasesAsync(first: 1, report: true);
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
if (!args.Contains("--folder"))
{
    Directory.Delete(folder, recursive: true);
}

return;

async Task PhasesAsync(int first, bool report)
{
    var job = Guid.NewGuid().ToString("N");
    await PhaseAsync("new", i => Row(first + i, price: 10m, stock: 5), job, expect: r => r.Created == r.Total, report);
    await PhaseAsync("same again", i => Row(first + i, price: 10m, stock: 5), Guid.NewGuid().ToString("N"), expect: r => r.Unchanged == r.Total, report);
    await PhaseAsync("all changed", i => Row(first + i, price: i % 2 == 0 ? 11m : 10m, stock: i % 2 == 0 ? 5 : 7), Guid.NewGuid().ToString("N"), expect: r => r.Updated == r.Total, report);
    await PhaseAsync("replayed keys", i => Row(first + i, price: 99m, stock: 99), job, expect: r => r.Created == r.Total, report);
}

async Task PhaseAsync(string name, Func<int, PartnerProductRow> row, string jobKey, Func<Totals, bool> expect, bool report)
{
    var totals = new Totals();
    timing.Reset();
    var batch = new List<PartnerProductRow>(batchSize);
    GC.Collect();
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var stopwatch = Stopwatch.StartNew();
    for (var start = 1; start <= rows; start += batchSize)
    {
        batch.Clear();
        for (var i = start; i < start + batchSize && i <= rows; i++)
        {
            batch.Add(row(i));
        }

        var result = await SendAsync(new UpsertPartnerProducts(partner, batch, $"{jobKey}:{start}"));
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"batch at {start} failed: {result.Error.Code} {result.Error.Message}");
        }

        totals.Add(result.Value, batch.Count);
    }

    stopwatch.Stop();
    var seconds = stopwatch.Elapsed.TotalSeconds;
    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    var perRow = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)rows;
    var batches = (rows + batchSize - 1) / batchSize;
    if (!expect(totals))
    {
        throw new InvalidOperationException($"{name}: unexpected counts: created {totals.Created}, updated {totals.Updated}, unchanged {totals.Unchanged}, refused {totals.Refused}");
    }

    if (!report)
    {
        return;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-14} {rows} rows in {seconds:0.00} s = {rows / seconds,8:0} rows/s; {stopwatch.Elapsed.TotalMilliseconds / batches:0.00} ms/batch; CPU {cpuSeconds:0.00} s; {perRow:0} B allocated/row; created {totals.Created}, updated {totals.Updated}, unchanged {totals.Unchanged}, refused {totals.Refused}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{"",-14} per batch: {timing.Commands / (double)batches:0.0} SQL commands taking {timing.CommandTime.TotalMilliseconds / batches:0.00} ms, commit {timing.CommitTime.TotalMilliseconds / batches:0.00} ms, validation {timing.ValidationTime.TotalMilliseconds / batches:0.00} ms, scope disposal {timing.DisposeTime.TotalMilliseconds / batches:0.00} ms"));
}

async Task<Result<PartnerUpsertResult>> SendAsync(UpsertPartnerProducts command)
{
    // As the mediator does for a command: validators, then the handler inside the module's unit of work.
    var started = Stopwatch.GetTimestamp();
    var scope = provider.CreateAsyncScope();
    try
    {
        var sp = scope.ServiceProvider;
        foreach (var validator in sp.GetServices<IValidator<UpsertPartnerProducts>>())
        {
            var validation = await validator.ValidateAsync(command);
            if (!validation.IsValid)
            {
                throw new InvalidOperationException(validation.ToString());
            }
        }

        timing.ValidationTime += Stopwatch.GetElapsedTime(started);
        var unitOfWork = sp.GetRequiredKeyedService<IUnitOfWork>(CatalogModule.Name);
        return await unitOfWork.ExecuteAsync(
            async () => await ActivatorUtilities.CreateInstance<UpsertPartnerProductsHandler>(sp).Handle(command, CancellationToken.None),
            r => r.IsSuccess, CancellationToken.None);
    }
    finally
    {
        var disposing = Stopwatch.GetTimestamp();
        await scope.DisposeAsync();
        timing.DisposeTime += Stopwatch.GetElapsedTime(disposing);
    }
}

PartnerProductRow Row(int i, decimal price, int stock) =>
    new(string.Create(CultureInfo.InvariantCulture, $"BENCH-{i:D7}"), string.Create(CultureInfo.InvariantCulture, $"Bench product {i}"),
        "A product of the Catalog batch benchmark", i % 3 == 0 ? "Kitchen" : null, price + (i % 100), stock, "Acme", "4006381333931",
        string.Create(CultureInfo.InvariantCulture, $"https://img.example/{i}.jpg"));

int Arg(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

internal sealed class Totals
{
    public int Total { get; private set; }

    public int Created { get; private set; }

    public int Updated { get; private set; }

    public int Unchanged { get; private set; }

    public int Refused { get; private set; }

    public void Add(PartnerUpsertResult result, int rows)
    {
        Total += rows;
        Created += result.Created;
        Updated += result.Updated;
        Unchanged += result.Unchanged;
        Refused += result.Refused.Count;
    }
}

internal sealed class FeedJobUser : ICurrentUser
{
    public bool IsAuthenticated => false;

    public string? UserId => null;

    public string? UserName => null;

    public bool IsInRole(string role) => false;
}

internal sealed class NoNudges : IOutboxNudge
{
    public void Nudge(string module)
    {
    }
}

/// <summary>Counts SQL commands and times them and the commits (EF interceptors, so the handler is measured as it runs).</summary>
internal sealed class DatabaseTiming : DbCommandInterceptor, IDbTransactionInterceptor
{
    private long _started;
    private long _commitStarted;

    public int Commands { get; private set; }

    public TimeSpan CommandTime { get; private set; }

    public TimeSpan CommitTime { get; private set; }

    public TimeSpan ValidationTime { get; set; }

    public TimeSpan DisposeTime { get; set; }

    public void Reset() => (Commands, CommandTime, CommitTime, ValidationTime, DisposeTime) = (0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        _started = Stopwatch.GetTimestamp();
        return ValueTask.FromResult(result);
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Stop();
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        _started = Stopwatch.GetTimestamp();
        return ValueTask.FromResult(result);
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Stop();
        return ValueTask.FromResult(result);
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        _commitStarted = Stopwatch.GetTimestamp();
        return ValueTask.FromResult(result);
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        CommitTime += Stopwatch.GetElapsedTime(_commitStarted);
        return Task.CompletedTask;
    }

    private void Stop()
    {
        Commands++;
        CommandTime += Stopwatch.GetElapsedTime(_started);
    }
}
