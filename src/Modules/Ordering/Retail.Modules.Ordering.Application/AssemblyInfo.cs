using Retail.BuildingBlocks.Contracts;

[assembly: RetailModule(Retail.Modules.Ordering.Application.OrderingModule.Name)]

namespace Retail.Modules.Ordering.Application;

/// <summary>The Ordering module's name: its schema on SQL Server and table prefix on SQLite.</summary>
public static class OrderingModule
{
    public const string Name = "ordering";
}

/// <summary>Settings under <c>Ordering</c>.</summary>
public sealed class OrderingOptions
{
    public CheckoutRateLimitOptions CheckoutRateLimit { get; set; } = new();

    public CheckoutGateOptions CheckoutGate { get; set; } = new();

    /// <summary>How long an order may wait in PaymentPending (provider down) before it is cancelled and its stock released.</summary>
    public TimeSpan PaymentDeadline { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Cron of the <c>ordering-payment-retry</c> job.</summary>
    public string PaymentRetryCron { get; set; } = "* * * * *";

    /// <summary>
    /// How long a checkout attempt may stay in progress before <c>ordering-interrupted-checkouts</c> takes it for one whose
    /// process died and releases what it held. Longer than any live attempt takes to store its order (an attempt taken
    /// over anyway stores nothing and is answered 503, so this is about not disturbing a slow one, not about correctness).
    /// </summary>
    public TimeSpan InterruptedCheckoutAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Cron of the <c>ordering-interrupted-checkouts</c> job.</summary>
    public string InterruptedCheckoutCron { get; set; } = "* * * * *";

    public string Currency { get; set; } = "USD";
}

/// <summary>SPEC A1: at most <see cref="PermitLimit"/> checkout attempts per user within any <see cref="Window"/>.</summary>
public sealed class CheckoutRateLimitOptions
{
    public int PermitLimit { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>The checkout bulkhead (<see cref="Abstractions.ICheckoutGate"/>), per instance.</summary>
public sealed class CheckoutGateOptions
{
    /// <summary>Checkouts working against the database at once.</summary>
    public int PermitLimit { get; set; } = 64;

    /// <summary>Checkouts waiting for a slot; beyond this they are refused at once.</summary>
    public int QueueLimit { get; set; } = 1024;

    /// <summary>Longest wait for a slot before the checkout is refused.</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
