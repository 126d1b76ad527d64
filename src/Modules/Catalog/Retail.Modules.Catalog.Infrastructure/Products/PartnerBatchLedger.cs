using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Infrastructure.Idempotency;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Infrastructure.Persistence;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.Infrastructure.Products;

/// <summary>
/// Partner batch results in the module's request-id table (one row per partner + batch key), written by the batch's own
/// SaveChanges, so the record exists exactly when the batch committed.
/// </summary>
internal sealed class PartnerBatchLedger(CatalogDbContext db, TimeProvider time) : IPartnerBatchLedger
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Caller(string partnerId) => "partner-batch:" + partnerId;

    public async Task<PartnerUpsertResult?> FindAsync(string partnerId, string batchKey, CancellationToken cancellationToken)
    {
        var body = await db.IdempotencyRecords.AsNoTracking()
            .Where(r => r.Caller == Caller(partnerId) && r.Key == batchKey && r.CompletedAt != null)
            .Select(r => r.ResponseBody)
            .SingleOrDefaultAsync(cancellationToken);
        return body is null ? null : JsonSerializer.Deserialize<PartnerUpsertResult>(body, Json);
    }

    public void Record(string partnerId, string batchKey, PartnerUpsertResult result)
    {
        var now = time.GetUtcNow();
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            Caller = Caller(partnerId),
            Key = batchKey,
            RequestHash = "",
            ResponseStatus = 200,
            ResponseBody = JsonSerializer.Serialize(result, Json),
            CreatedAt = now,
            CompletedAt = now,
        });
    }
}
