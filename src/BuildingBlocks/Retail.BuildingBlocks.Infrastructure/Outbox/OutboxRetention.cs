using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Retention;
using Retail.BuildingBlocks.Infrastructure.Persistence;

namespace Retail.BuildingBlocks.Infrastructure.Outbox;

/// <summary>How many rows one retention pass deleted from a module's outbox and inbox.</summary>
public readonly record struct OutboxRetentionResult(int OutboxRows, int InboxRows);

/// <summary>
/// Deletes what a module's outbox and inbox no longer need: events delivered longer ago than
/// <see cref="OutboxOptions.Retention"/> (7 days by default), and the inbox receipts of events first handled longer ago
/// (with any later receipt of the same event). By then no redelivery can come - a relay's claim lasts seconds and a
/// failing event is dead-lettered within minutes - so the receipts have nothing left to deduplicate. Undelivered events
/// and dead letters are kept for the relay and for an operator. Rows go in chunks (<see cref="ChunkedDelete"/>) picked
/// oldest first through a ProcessedAt index, so a pass reads little more than what it deletes.
/// </summary>
public sealed partial class OutboxRetention(
    IServiceProvider services,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRetention> logger)
{
    public async Task<OutboxRetentionResult> RunAsync(string module, CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(module);

        // Through the (ProcessedAt, OccurredAt) index; a dead letter or an undelivered event has no ProcessedAt.
        var outboxRows = await ChunkedDelete.RunAsync(
            (size, ct) => context.OutboxMessages.AsNoTracking()
                .Where(m => m.ProcessedAt != null && m.ProcessedAt < cutoff)
                .OrderBy(m => m.ProcessedAt)
                .Select(m => m.Id)
                .Take(size)
                .ToListAsync(ct),
            (ids, ct) => context.OutboxMessages.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(ct),
            cancellationToken);

        // Through the ProcessedAt index, oldest first; deleted by the key's first column alone: every receipt of these
        // events goes (an event with a receipt that old was delivered or dead-lettered long ago), and no ProcessedAt
        // condition tempts SQLite into the range (ADR 0010).
        var inboxRows = await ChunkedDelete.RunAsync(
            async (size, ct) => (await context.InboxMessages.AsNoTracking()
                .Where(m => m.ProcessedAt < cutoff)
                .OrderBy(m => m.ProcessedAt)
                .Select(m => m.EventId)
                .Take(size)
                .ToListAsync(ct)).Distinct().ToList(),
            (eventIds, ct) => context.InboxMessages.Where(m => eventIds.Contains(m.EventId)).ExecuteDeleteAsync(ct),
            cancellationToken);

        if (outboxRows + inboxRows > 0)
        {
            LogDeleted(logger, module, outboxRows, inboxRows, cutoff);
        }

        return new OutboxRetentionResult(outboxRows, inboxRows);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox retention of {Module}: deleted {OutboxRows} delivered events and {InboxRows} inbox receipts (events handled before {Cutoff})")]
    private static partial void LogDeleted(ILogger logger, string module, int outboxRows, int inboxRows, DateTimeOffset cutoff);
}
