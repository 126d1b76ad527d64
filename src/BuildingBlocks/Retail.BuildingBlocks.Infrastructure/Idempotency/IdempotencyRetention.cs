using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Retention;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.Infrastructure.Idempotency;

/// <summary>
/// Deletes a module's idempotency records of requests completed longer ago than <see cref="IdempotencyOptions.Retention"/>
/// (30 days by default): one row per key ever used would otherwise stay forever. A request still in progress (no
/// CompletedAt, including one a recovery has marked) is never deleted here; its owner or its recovery finishes it.
/// </summary>
public sealed partial class IdempotencyRetention(
    IServiceProvider services,
    TimeProvider time,
    IOptions<IdempotencyOptions> options,
    ILogger<IdempotencyRetention> logger)
{
    public async Task<int> RunAsync(string module, CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(module);

        // Both statements go through the CompletedAt index as ranges: a chunk is the oldest completion times, and its rows
        // are deleted up to the last of them (the key is two columns, which a list of keys cannot name in one condition).
        // Completion times shared at the chunk's edge go with it; a completed record never changes, so none is missed.
        var deleted = await ChunkedDelete.RunAsync(
            (size, ct) => context.IdempotencyRecords.AsNoTracking()
                .Where(r => r.CompletedAt != null && r.CompletedAt < cutoff)
                .OrderBy(r => r.CompletedAt)
                .Select(r => r.CompletedAt!.Value)
                .Take(size)
                .ToListAsync(ct),
            (completedAt, ct) =>
            {
                var last = completedAt[^1];
                return context.IdempotencyRecords.Where(r => r.CompletedAt != null && r.CompletedAt <= last).ExecuteDeleteAsync(ct);
            },
            cancellationToken);

        if (deleted > 0)
        {
            LogDeleted(logger, module, deleted, cutoff);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotency retention of {Module}: deleted {Records} records of requests completed before {Cutoff}")]
    private static partial void LogDeleted(ILogger logger, string module, int records, DateTimeOffset cutoff);
}
