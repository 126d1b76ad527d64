using Retail.BuildingBlocks.Contracts;

namespace Retail.Modules.Partners.IntegrationEvents;

/// <summary>A feed job reached an end state (Completed, CompletedWithErrors, Failed or Cancelled).</summary>
[IntegrationEventName("partners.feed-job-finished.v1")]
public sealed record FeedJobFinished(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid JobId,
    Guid PartnerId,
    string Status,
    bool ValidateOnly,
    int Rows,
    int Created,
    int Updated,
    int Unchanged,
    int Rejected,
    int Deactivated,
    double DurationSeconds) : IntegrationEvent(EventId, OccurredAt);

/// <summary>
/// A stock webhook delivery was processed (applied, ignored as out of order, or failed). No longer published (see
/// <see cref="WebhooksProcessed"/>); subscribers still handle it for events written before the upgrade.
/// </summary>
[IntegrationEventName("partners.webhook-processed.v1")]
public sealed record WebhookProcessed(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid PartnerId,
    string DeliveryId,
    string Sku,
    string Outcome,
    double LatencySeconds) : IntegrationEvent(EventId, OccurredAt);

/// <summary>
/// Stock webhook deliveries of one partner were processed together (one background batch): how many were applied,
/// ignored as out of order, or failed, and the longest time from receipt to processing among them.
/// </summary>
[IntegrationEventName("partners.webhooks-processed.v1")]
public sealed record WebhooksProcessed(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid PartnerId,
    int Applied,
    int IgnoredOutOfOrder,
    int Failed,
    double MaxLatencySeconds) : IntegrationEvent(EventId, OccurredAt)
{
    public int Processed => Applied + IgnoredOutOfOrder + Failed;
}

/// <summary>The outcome callback to the partner failed after every retry.</summary>
[IntegrationEventName("partners.callback-failed.v1")]
public sealed record WebhookCallbackFailed(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid PartnerId,
    string DeliveryId,
    int Attempts,
    string LastError) : IntegrationEvent(EventId, OccurredAt);
