namespace Retail.Host.FunctionalTests.Partners;

public sealed record FeedJobJson(
    Guid Id, Guid PartnerId, string Status, int Percent, string Mode, string Kind, string Format, string FileName, int Rows,
    int Created, int Updated, int Unchanged, int Rejected, int Deactivated, int PendingDeactivations, string? FailureReason)
{
    public bool IsFinished => Status is "Completed" or "CompletedWithErrors" or "Failed" or "Cancelled";
}

public sealed record FeedErrorJson(int Line, string Field, string Code, string Message, string? Sku);

public sealed record FeedReportJson(FeedJobJson Job, IReadOnlyList<FeedErrorJson> Errors, int TotalErrors);

public sealed record CallbackAttemptJson(int Attempt, int? StatusCode, long DurationMs, string? Error);

public sealed record DeliveryJson(Guid Id, string DeliveryId, string Sku, int Quantity, long Sequence, string Status, string? Outcome, int? StockAfter, IReadOnlyList<CallbackAttemptJson> Callbacks);
