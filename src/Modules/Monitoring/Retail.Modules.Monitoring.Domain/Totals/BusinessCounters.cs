namespace Retail.Modules.Monitoring.Domain.Totals;

/// <summary>The names of the business counters, and how money becomes a counter value.</summary>
public static class BusinessCounters
{
    public const string PaymentsSucceeded = "payments.succeeded.count";
    public const string PaymentsSucceededAmount = "payments.succeeded.amount_cents";
    public const string PaymentsFailed = "payments.failed.count";
    public const string PaymentsFailedAmount = "payments.failed.amount_cents";
    public const string RefundsIssued = "refunds.issued.count";
    public const string RefundsIssuedAmount = "refunds.issued.amount_cents";
    public const string StoreCreditIssued = "store_credit.issued.count";
    public const string StoreCreditIssuedAmount = "store_credit.issued.amount_cents";
    public const string CustomersRegistered = "customers.registered.count";
    public const string ProductsUpserted = "products.upserted.count";
    public const string StockChanges = "stock.changes.count";
    public const string StockUnitsIn = "stock.units_in";
    public const string StockUnitsOut = "stock.units_out";
    public const string OrdersPlaced = "orders.placed.count";
    public const string OrdersPaid = "orders.paid.count";
    public const string OrdersRevenue = "orders.paid.revenue_cents";
    public const string OrdersCancelled = "orders.cancelled.count";
    public const string ReturnsOpened = "returns.opened.count";
    public const string ReturnsCompleted = "returns.completed.count";
    public const string ReturnsRejected = "returns.rejected.count";
    public const string ReturnsCancelled = "returns.cancelled.count";
    public const string ReturnRefundsIssued = "returns.refunds.count";
    public const string ReturnRefundsAmount = "returns.refunds.amount_cents";
    public const string IngestJobsCompleted = "partners.ingest.jobs_completed.count";
    public const string IngestJobsFailed = "partners.ingest.jobs_failed.count";
    public const string IngestJobsCancelled = "partners.ingest.jobs_cancelled.count";
    public const string IngestRows = "partners.ingest.rows";
    public const string IngestRowsRejected = "partners.ingest.rows_rejected";
    public const string IngestDurationMs = "partners.ingest.duration_ms";
    public const string WebhooksProcessed = "partners.webhooks.processed.count";
    public const string WebhooksFailed = "partners.webhooks.failed.count";
    public const string CallbacksFailed = "partners.callbacks.failed.count";

    // An array, not a collection expression: that would compile to a generated type outside the BCL (architecture rule).
    public static readonly IReadOnlyList<string> All = new[]
    {
        PaymentsSucceeded, PaymentsSucceededAmount, PaymentsFailed, PaymentsFailedAmount, RefundsIssued, RefundsIssuedAmount,
        StoreCreditIssued, StoreCreditIssuedAmount, CustomersRegistered, ProductsUpserted, StockChanges, StockUnitsIn, StockUnitsOut,
        OrdersPlaced, OrdersPaid, OrdersRevenue, OrdersCancelled,
        ReturnsOpened, ReturnsCompleted, ReturnsRejected, ReturnsCancelled, ReturnRefundsIssued, ReturnRefundsAmount,
        IngestJobsCompleted, IngestJobsFailed, IngestJobsCancelled, IngestRows, IngestRowsRejected, IngestDurationMs,
        WebhooksProcessed, WebhooksFailed, CallbacksFailed,
    };

    /// <summary>Money as whole minor units (cents), rounded half away from zero.</summary>
    public static long ToCents(decimal amount) => (long)Math.Round(amount * 100m, MidpointRounding.AwayFromZero);

    public static decimal FromCents(long cents) => cents / 100m;
}
