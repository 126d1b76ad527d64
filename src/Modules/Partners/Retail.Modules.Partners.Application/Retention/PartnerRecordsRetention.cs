using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Retention;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Domain.Webhooks;

namespace Retail.Modules.Partners.Application.Retention;

/// <summary>How many rows one retention pass deleted.</summary>
public readonly record struct PartnerRecordsRetentionResult(int Deliveries, int CallbackAttempts, int AuditEntries);

/// <summary>
/// Keeps the two per-call logs bounded: a stock webhook leaves a delivery row (with its callback attempts) and every
/// partner API call an authentication audit row, so at 1,000 webhooks/s each grows by tens of millions of rows a day.
/// Processed deliveries older than <see cref="PartnersOptions.DeliveryRetention"/> (30 days) and audit rows older than
/// <see cref="PartnersOptions.AuthAuditRetention"/> (90 days) are deleted; a delivery not yet processed is kept whatever
/// its age. A delivery id repeated after its row is gone counts as new, and its sequence number still keeps an older
/// update from being applied. Rows go in chunks (<see cref="ChunkedDelete"/>) picked oldest first through an
/// index (deliveries per partner by time, audit rows by id).
/// </summary>
public sealed partial class PartnerRecordsRetention(IPartnersDbContext db, TimeProvider time, IOptions<PartnersOptions> options, ILogger<PartnerRecordsRetention> logger)
{
    public const string JobId = "partners-retention";

    public async Task<PartnerRecordsRetentionResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var deliveryCutoff = now - options.Value.DeliveryRetention;
        var auditCutoff = now - options.Value.AuthAuditRetention;

        int deliveries = 0, attempts = 0;
        foreach (var partner in await db.Partners.AsNoTracking().Select(p => p.Id).ToListAsync(cancellationToken))
        {
            // Through the (PartnerId, ReceivedAt) index, oldest first; a delivery not processed yet is skipped.
            deliveries += await ChunkedDelete.RunAsync(
                (size, ct) => db.WebhookDeliveries.AsNoTracking()
                    .Where(d => d.PartnerId == partner && d.ReceivedAt < deliveryCutoff && d.Status != DeliveryStatus.Received)
                    .OrderBy(d => d.ReceivedAt)
                    .Select(d => d.Id)
                    .Take(size)
                    .ToListAsync(ct),
                async (ids, ct) =>
                {
                    attempts += await db.CallbackAttempts.Where(a => ids.Contains(a.DeliveryId)).ExecuteDeleteAsync(ct);
                    return await db.WebhookDeliveries.Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(ct);
                },
                cancellationToken);
        }

        // By id, which grows with time.
        var audit = await ChunkedDelete.RunAsync(
            (size, ct) => db.AuthAudit.AsNoTracking()
                .Where(a => a.At < auditCutoff)
                .OrderBy(a => a.Id)
                .Select(a => a.Id)
                .Take(size)
                .ToListAsync(ct),
            (ids, ct) => db.AuthAudit.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(ct),
            cancellationToken);

        if (deliveries + audit > 0)
        {
            LogDeleted(logger, deliveries, attempts, audit);
        }

        return new PartnerRecordsRetentionResult(deliveries, attempts, audit);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Partner records retention: deleted {Deliveries} webhook deliveries ({CallbackAttempts} callback attempts) and {AuditEntries} authentication audit rows")]
    private static partial void LogDeleted(ILogger logger, int deliveries, int callbackAttempts, int auditEntries);
}
