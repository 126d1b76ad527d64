using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.Infrastructure.Idempotency;

/// <summary>A request seen under an idempotency key, and (once finished) the response it got.</summary>
public sealed class IdempotencyRecord
{
    public string Caller { get; set; } = "";

    public string Key { get; set; } = "";

    /// <summary>SHA-256 of the request body; the same key with a different body is refused.</summary>
    public string RequestHash { get; set; } = "";

    public int? ResponseStatus { get; set; }

    public string? ResponseBody { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyRecords");
        builder.HasKey(r => new { r.Caller, r.Key });
        builder.Property(r => r.Caller).HasMaxLength(200);
        builder.Property(r => r.Key).HasMaxLength(200);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        // Requests still in progress (CompletedAt NULL) are few among every key ever used: a recovery finds them through it.
        builder.HasIndex(r => r.CompletedAt);
    }
}

public enum IdempotencyOutcome
{
    /// <summary>First time: go ahead and do the work, then call Complete.</summary>
    Started,

    /// <summary>Done before with the same body: answer with the stored response.</summary>
    Replay,

    /// <summary>Same key, different body: 422.</summary>
    Mismatch,

    /// <summary>Same key still being worked on by another request: 409, try again.</summary>
    InProgress,
}

public sealed record IdempotencyDecision(IdempotencyOutcome Outcome, int? ResponseStatus = null, string? ResponseBody = null);

/// <summary>
/// Request-id table over a module's own context (eShop's pattern). The primary key on (caller, key) is what makes a
/// concurrent duplicate lose: the second insert fails and reads the first request's state.
/// </summary>
public sealed class IdempotencyStore(ModuleDbContext context, TimeProvider time)
{
    public static string Hash(string requestBody) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(requestBody ?? "")));

    public Task<IdempotencyDecision> BeginAsync(string caller, string key, string requestHash, CancellationToken cancellationToken) =>
        BeginAsync(caller, key, requestHash, pendingBody: null, cancellationToken);

    /// <summary>
    /// As <see cref="BeginAsync(string, string, string, CancellationToken)"/>, storing <paramref name="pendingBody"/> with the
    /// request while it is in progress: what a recovery needs to find the request's work if its process dies before
    /// completing it (a checkout stores the id of the order it is creating). Replaced by the response on completion.
    /// </summary>
    public async Task<IdempotencyDecision> BeginAsync(string caller, string key, string requestHash, string? pendingBody, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(caller, key, cancellationToken);
        if (existing is null)
        {
            context.IdempotencyRecords.Add(new IdempotencyRecord { Caller = caller, Key = key, RequestHash = requestHash, ResponseBody = pendingBody, CreatedAt = time.GetUtcNow() });
            try
            {
                await context.SaveChangesAsync(cancellationToken);
                return new IdempotencyDecision(IdempotencyOutcome.Started);
            }
            catch (DbUpdateException)
            {
                context.ChangeTracker.Clear();
                existing = await FindAsync(caller, key, cancellationToken)
                    ?? throw new InvalidOperationException("Idempotency record vanished after a duplicate-key failure.");
            }
        }

        if (!string.Equals(existing.RequestHash, requestHash, StringComparison.Ordinal))
        {
            return new IdempotencyDecision(IdempotencyOutcome.Mismatch);
        }

        return existing.CompletedAt is null
            ? new IdempotencyDecision(IdempotencyOutcome.InProgress)
            : new IdempotencyDecision(IdempotencyOutcome.Replay, existing.ResponseStatus, existing.ResponseBody);
    }

    public async Task CompleteAsync(string caller, string key, int responseStatus, string responseBody, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await context.IdempotencyRecords.Where(r => r.Caller == caller && r.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ResponseStatus, responseStatus).SetProperty(r => r.ResponseBody, responseBody).SetProperty(r => r.CompletedAt, now), cancellationToken);
    }

    /// <summary>
    /// Inside the transaction that stores a request's work: true while the request is still in progress under its key, and
    /// then (an update, so a row lock on SQL Server, the write lock on SQLite) no recovery can take it over until that
    /// transaction ends. False once a recovery has (a record in progress that has a response status is taken over; it
    /// still answers "in progress" to a repeat until the recovery completes or forgets it): its work must not be stored.
    /// </summary>
    public async Task<bool> StillInProgressAsync(string caller, string key, CancellationToken cancellationToken) =>
        await context.IdempotencyRecords.Where(r => r.Caller == caller && r.Key == key && r.CompletedAt == null && r.ResponseStatus == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RequestHash, r => r.RequestHash), cancellationToken) == 1;

    /// <summary>Forgets a key whose request failed before producing a response, so the client may retry with it.</summary>
    public Task AbandonAsync(string caller, string key, CancellationToken cancellationToken) =>
        context.IdempotencyRecords.Where(r => r.Caller == caller && r.Key == key && r.CompletedAt == null && r.ResponseStatus == null).ExecuteDeleteAsync(cancellationToken);

    private Task<IdempotencyRecord?> FindAsync(string caller, string key, CancellationToken cancellationToken) =>
        context.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Caller == caller && r.Key == key, cancellationToken);
}
