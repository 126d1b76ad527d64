using System.Diagnostics.Metrics;
using Retail.BuildingBlocks.Application;

namespace Retail.Modules.Ordering.Application.Orders.PlaceOrder;

/// <summary>
/// The checkout meter: <c>retail.checkout.attempts</c> counts every answered checkout by <c>outcome</c> (see
/// <see cref="Outcomes"/>). One singleton per host; its meter comes from <see cref="IMeterFactory"/>, which disposes it.
/// </summary>
public sealed class CheckoutMetrics
{
    public const string MeterName = "Retail.Ordering";
    public const string AttemptsInstrument = "retail.checkout.attempts";

    /// <summary>Every value of the <c>outcome</c> tag.</summary>
    public static class Outcomes
    {
        public const string AcceptedPaid = "accepted_paid";
        public const string AcceptedPending = "accepted_pending";
        public const string Declined = "declined";
        public const string RateLimited = "rate_limited";
        public const string SoldOut = "sold_out";
        public const string CapExceeded = "cap_exceeded";
        public const string Overloaded = "overloaded";
        public const string PriceChanged = "price_changed";
        public const string Invalid = "invalid";
    }

    private readonly Counter<long> _attempts;

    public CheckoutMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _attempts = meter.CreateCounter<long>(AttemptsInstrument, description: "Checkouts answered, by outcome (accepted_paid, accepted_pending, declined, rate_limited, sold_out, cap_exceeded, overloaded, price_changed, invalid)");
    }

    public void Record(Result<PlaceOrderResult> result) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeOf(result)));

    /// <summary>The outcome tag of one checkout answer. Refusals not named here (idempotency, store credit, …) are <c>invalid</c>.</summary>
    public static string OutcomeOf(Result<PlaceOrderResult> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsSuccess)
        {
            return result.Value.PaymentPending ? Outcomes.AcceptedPending : Outcomes.AcceptedPaid;
        }

        if (result.Error.Kind == ErrorKind.RateLimited)
        {
            return Outcomes.RateLimited;
        }

        return result.Error.Code switch
        {
            "payment.declined" => Outcomes.Declined,
            "flash.sold_out" or "ordering.out_of_stock" or "ordering.product_unavailable" => Outcomes.SoldOut,
            "flash.cap_exceeded" => Outcomes.CapExceeded,
            "ordering.overloaded" => Outcomes.Overloaded,
            "ordering.price_changed" => Outcomes.PriceChanged,
            _ => Outcomes.Invalid,
        };
    }
}
