using Retail.BuildingBlocks.Application.Settings;

namespace Retail.Modules.Ordering.Application;

/// <summary>Checked when the app starts (a zero permit limit, say, would refuse every checkout).</summary>
public sealed class OrderingOptionsValidator : SettingsValidator<OrderingOptions>
{
    protected override void Check(SettingsCheck check, OrderingOptions options)
    {
        check
            .AtLeast(options.CheckoutRateLimit.PermitLimit, 1, "Ordering:CheckoutRateLimit:PermitLimit")
            .Positive(options.CheckoutRateLimit.Window, "Ordering:CheckoutRateLimit:Window")
            .AtLeast(options.CheckoutGate.PermitLimit, 1, "Ordering:CheckoutGate:PermitLimit")
            .AtLeast(options.CheckoutGate.QueueLimit, 0, "Ordering:CheckoutGate:QueueLimit")
            .Positive(options.CheckoutGate.QueueTimeout, "Ordering:CheckoutGate:QueueTimeout")
            .Positive(options.PaymentDeadline, "Ordering:PaymentDeadline")
            .Positive(options.InterruptedCheckoutAfter, "Ordering:InterruptedCheckoutAfter")
            .CurrencyCode(options.Currency, "Ordering:Currency");
    }
}
