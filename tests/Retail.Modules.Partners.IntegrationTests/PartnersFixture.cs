using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Catalog.Application;
using Retail.Modules.Catalog.Application.Products.PartnerProducts;
using Retail.Modules.Catalog.Infrastructure;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Webhooks;
using Retail.Modules.Partners.Domain.Partners;
using Retail.Modules.Partners.Infrastructure;
using Retail.Testing;

namespace Retail.Modules.Partners.IntegrationTests;

/// <summary>
/// The Partners and Catalog modules as the Host wires them, on one real SQLite file migrated with the real migrations.
/// Catalog's public requests are dispatched to Catalog's real handlers inside Catalog's real unit of work, the way the
/// mediator's behavior runs them (this project has no source-generated mediator). A subclass may change settings
/// (<see cref="Settings"/>) for the tests that depend on one.
/// </summary>
public class PartnersFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retail-partners-it-" + Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    public ServiceProvider Services { get; private set; } = null!;

    public RecordingQueue Queued { get; } = new();

    /// <summary>What the modules logged (tests check that a failure was logged rather than thrown).</summary>
    public CapturingLoggerProvider Log { get; } = new();

    /// <summary>The outbound clients' name resolution: real DNS unless a test scripts the answer.</summary>
    public ScriptableResolver Resolver { get; } = new();

    public sealed class ScriptableResolver : Retail.Modules.Partners.Infrastructure.Outbound.IHostAddressResolver
    {
        /// <summary>Null: real DNS.</summary>
        public Func<string, System.Net.IPAddress[]>? Answer { get; set; }

        public Task<System.Net.IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Answer is { } answer ? Task.FromResult(answer(host)) : System.Net.Dns.GetHostAddressesAsync(host, cancellationToken);
    }

    /// <summary>The SQL the module's contexts run, recorded only inside <see cref="CommandLog.Record"/>.</summary>
    public CommandLog Commands { get; } = new();

    /// <summary>SQLite's plans for the module's queries, recorded only inside <see cref="QueryPlanLog.Record"/>.</summary>
    public QueryPlanLog QueryPlans { get; } = new();

    /// <summary>The SQLite file, for raw reads of what the database really holds.</summary>
    public string DatabasePath => Path.Combine(_folder, "retail.db");

    public sealed class RecordingQueue : Retail.Modules.Partners.Application.Abstractions.IFeedJobQueue
    {
        public List<Guid> Jobs { get; } = [];

        public void Enqueue(Guid jobId) => Jobs.Add(jobId);
    }

    /// <summary>The module settings, as configuration keys; subclasses change what their tests need.</summary>
    protected virtual IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Retail"] = $"Data Source={Path.Combine(_folder, "retail.db")}",
        ["Partners:StorageFolder"] = Path.Combine(_folder, "feeds"),
        ["Partners:BatchSize"] = "500",
    };

    /// <summary>Changes to the module's registrations for the tests of a subclass (after the module's own).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Settings())
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Log));
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<ICurrentUser, NoUser>();
        services.AddSingleton<IOutboxNudge, IgnoreNudges>();
        services.AddHybridCache();
        services.AddCatalogModule(configuration);
        services.AddPartnersModule(configuration);
        services.AddSingleton<Retail.Modules.Partners.Infrastructure.Outbound.IHostAddressResolver>(Resolver);
        ConfigureServices(services);
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(Commands);
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(QueryPlans);
        // The key ring in the test's folder (the Host shares it through Redis when configured).
        services.AddDataProtection().SetApplicationName("Retail").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_folder, "keys")));
        services.AddScoped<IRequestSender, CatalogRequests>();
        // No Hangfire here: these tests run jobs in process; anything queued is only recorded.
        services.AddSingleton<Retail.Modules.Partners.Application.Abstractions.IFeedJobQueue>(Queued);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await Services.MigrateModuleDatabasesAsync();
    }

    /// <summary>A new active partner with a real protected webhook secret; returns it and the plain secret.</summary>
    public async Task<(Partner Partner, string WebhookSecret)> NewPartnerAsync(string? callbackUrl = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var (plain, protectedSecret) = scope.ServiceProvider.GetRequiredService<WebhookSecrets>().Issue();
        var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
        var partner = Partner.Create("P " + Guid.NewGuid().ToString("N")[..8], "p@example.test", callbackUrl, false, protectedSecret, Time.GetUtcNow());
        db.Partners.Add(partner);
        await db.SaveChangesAsync();
        return (partner, plain);
    }

    /// <summary>Records the text of every command run on the current async flow while a recording is open.</summary>
    public sealed class CommandLog : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        private readonly AsyncLocal<List<string>?> _recording = new();

        /// <summary>Starts recording this flow's commands into the returned list.</summary>
        public List<string> Record() => _recording.Value = [];

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            _recording.Value?.Add(command.CommandText);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class NoUser : ICurrentUser
    {
        public bool IsAuthenticated => false;

        public string? UserId => null;

        public string? UserName => null;

        public bool IsInRole(string role) => false;
    }

    private sealed class IgnoreNudges : IOutboxNudge
    {
        public void Nudge(string module)
        {
        }
    }

    /// <summary>Catalog's public requests → Catalog's handlers, each command in its own Catalog unit of work.</summary>
    private sealed class CatalogRequests(IServiceProvider services) : IRequestSender
    {
        public ValueTask<Result> Send(ICommand command, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException(command.GetType().Name);

        public async ValueTask<Result<TValue>> Send<TValue>(ICommand<TValue> command, CancellationToken cancellationToken = default)
        {
            await using var scope = services.CreateAsyncScope();
            var sp = scope.ServiceProvider;
            var unitOfWork = sp.GetRequiredKeyedService<IUnitOfWork>(CatalogModule.Name);
            return await unitOfWork.ExecuteAsync(async () => command switch
            {
                UpsertPartnerProducts c => (Result<TValue>)(object)await ActivatorUtilities.CreateInstance<UpsertPartnerProductsHandler>(sp).Handle(c, cancellationToken),
                DeactivatePartnerProducts c => (Result<TValue>)(object)await ActivatorUtilities.CreateInstance<DeactivatePartnerProductsHandler>(sp).Handle(c, cancellationToken),
                SetPartnerProductStocks c => (Result<TValue>)(object)await ActivatorUtilities.CreateInstance<SetPartnerProductStocksHandler>(sp).Handle(c, cancellationToken),
                _ => throw new NotSupportedException(command.GetType().Name),
            }, r => r.IsSuccess, cancellationToken);
        }

        public async ValueTask<Result<TValue>> Send<TValue>(IQuery<TValue> query, CancellationToken cancellationToken = default)
        {
            await using var scope = services.CreateAsyncScope();
            return query switch
            {
                GetActivePartnerSkus q => (Result<TValue>)(object)await ActivatorUtilities.CreateInstance<GetActivePartnerSkusHandler>(scope.ServiceProvider).Handle(q, cancellationToken),
                _ => throw new NotSupportedException(query.GetType().Name),
            };
        }
    }
}
