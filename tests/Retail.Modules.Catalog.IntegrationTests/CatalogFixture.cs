using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Retail.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Catalog.Application;
using Retail.Modules.Catalog.Application.Products.PartnerProducts;
using Retail.Modules.Catalog.Infrastructure;
using Retail.Modules.Catalog.Infrastructure.Persistence;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.IntegrationTests;

/// <summary>
/// The Catalog module as the Host wires it, on a real SQLite file migrated with the real migrations. Handlers are run
/// inside the module's real unit of work, the way the mediator's behavior runs them.
/// </summary>
public sealed class CatalogFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retail-catalog-it-" + Guid.NewGuid().ToString("N"));

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    public TestUser User { get; } = new();

    public ServiceProvider Services { get; private set; } = null!;

    /// <summary>SQLite's plans for the module's queries, recorded only inside <see cref="QueryPlanLog.Record"/>.</summary>
    public QueryPlanLog QueryPlans { get; } = new();

    /// <summary>What the module logged (its warnings are part of what some tests check).</summary>
    public CapturingLoggerProvider Log { get; } = new();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Retail"] = $"Data Source={Path.Combine(_folder, "catalog.db")}" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(Log));
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<ICurrentUser>(User);
        services.AddSingleton<IOutboxNudge, IgnoreNudges>();
        services.AddSingleton<IRequestSender, NoMediator>();
        services.AddHybridCache();
        services.AddOptions<OutboxOptions>();
        services.AddSingleton<IntegrationEventSubscriptions>();
        services.AddSingleton<OutboxRelay>();
        services.AddCatalogModule(configuration);
        services.AddSingleton<IInterceptor>(QueryPlans);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await Services.MigrateModuleDatabasesAsync();
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Runs a command handler in its own scope and transaction, committing only on success.</summary>
    public async Task<TResult> SendAsync<TResult>(Func<IServiceProvider, ValueTask<TResult>> handle)
        where TResult : Result
    {
        await using var scope = Services.CreateAsyncScope();
        var unitOfWork = scope.ServiceProvider.GetRequiredKeyedService<IUnitOfWork>(CatalogModule.Name);
        return await unitOfWork.ExecuteAsync(async () => await handle(scope.ServiceProvider), r => r.IsSuccess, CancellationToken.None);
    }

    public async Task<T> QueryAsync<T>(Func<IServiceProvider, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider);
    }

    /// <summary>
    /// Puts the events into Catalog's outbox (the relay delivers by event name, whoever wrote the row) and runs the real
    /// relay, which hands them to the module's subscriptions with their inbox rows, as another module's events arrive.
    /// </summary>
    public async Task<int> DeliverAsync(params IIntegrationEvent[] events)
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            foreach (var e in events)
            {
                db.Publish(e);
            }

            await db.SaveChangesAsync();
        }

        return await Services.GetRequiredService<OutboxRelay>().RunAsync(CatalogModule.Name);
    }

    /// <summary>A partner batch through the real handler (in the unit of work, as the mediator runs it).</summary>
    public Task<Result<PartnerUpsertResult>> UpsertPartnerProductsAsync(string partner, string? batchKey, params PartnerProductRow[] rows) =>
        SendAsync(sp => ActivatorUtilities.CreateInstance<UpsertPartnerProductsHandler>(sp, Time)
            .Handle(new UpsertPartnerProducts(partner, rows, batchKey), default));

    /// <summary>The <see cref="ProductBatchChanged"/> events in the outbox whose payload mentions <paramref name="text"/>, oldest first.</summary>
    public Task<List<ProductBatchChanged>> BatchEventsAsync(string text) =>
        QueryAsync(async sp =>
        {
            var rows = await sp.GetRequiredService<CatalogDbContext>().OutboxMessages.AsNoTracking()
                .Where(m => m.Type == "catalog.product-batch-changed.v1" && m.Payload.Contains(text)).OrderBy(m => m.OccurredAt).ToListAsync();
            return rows.Select(r => JsonSerializer.Deserialize<ProductBatchChanged>(r.Payload, WebJson)!).ToList();
        });

    public sealed class TestUser : ICurrentUser
    {
        public bool IsAuthenticated => true;

        public string? UserId => "user-1";

        public string? UserName => "catalog@retail.local";

        public bool IsInRole(string role) => role == "catalog-admin";
    }

    /// <summary>The fixture runs handlers itself; a handler that sends through the mediator is a test this fixture cannot run.</summary>
    private sealed class NoMediator : IRequestSender
    {
        public ValueTask<Result> Send(ICommand command, CancellationToken cancellationToken = default) => throw Unsupported(command);

        public ValueTask<Result<TValue>> Send<TValue>(ICommand<TValue> command, CancellationToken cancellationToken = default) => throw Unsupported(command);

        public ValueTask<Result<TValue>> Send<TValue>(IQuery<TValue> query, CancellationToken cancellationToken = default) => throw Unsupported(query);

        private static NotSupportedException Unsupported(object request) => new($"CatalogFixture has no mediator to send {request.GetType().Name}.");
    }

    private sealed class IgnoreNudges : IOutboxNudge
    {
        public void Nudge(string module)
        {
        }
    }
}
