using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Infrastructure.Idempotency;
using Retail.Modules.Catalog.Application;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.Infrastructure.Products;

/// <summary>
/// Partner batch results in the Catalog module's request-id table (the platform's IdempotencyStore keyed "catalog"), one
/// row per partner + batch key. The handler runs inside the batch's unit of work, so the row exists exactly when the batch
/// committed; a failed batch rolls it back with everything else.
/// </summary>
internal sealed class PartnerBatchLedger([FromKeyedServices(CatalogModule.Name)] IdempotencyStore store) : IPartnerBatchLedger
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Caller(string partnerId) => "partner-batch:" + partnerId;

    public async Task<PartnerUpsertResult?> BeginAsync(string partnerId, string batchKey, CancellationToken cancellationToken)
    {
        var decision = await store.BeginAsync(Caller(partnerId), batchKey, requestHash: "", cancellationToken);
        return decision.Outcome == IdempotencyOutcome.Replay && decision.ResponseBody is { } body
            ? JsonSerializer.Deserialize<PartnerUpsertResult>(body, Json)
            : null;
    }

    public Task CompleteAsync(string partnerId, string batchKey, PartnerUpsertResult result, CancellationToken cancellationToken) =>
        store.CompleteAsync(Caller(partnerId), batchKey, 200, JsonSerializer.Serialize(result, Json), cancellationToken);
}
