using System.Globalization;

namespace Retail.Host.Pages.Orders;

/// <summary>Formatting shared by the order pages.</summary>
public static class OrderView
{
    public static string Money(decimal amount, string currency = "USD") =>
        currency == "USD" ? amount.ToString("C", CultureInfo.GetCultureInfo("en-US")) : $"{amount.ToString("0.00", CultureInfo.InvariantCulture)} {currency}";

    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>
    /// The status in the customer's words (SPEC U1: no jargon). The status names are code names ("PaymentPending" read
    /// as one made-up word on the order page); an unknown name is shown as it is rather than hidden.
    /// </summary>
    public static string StatusLabel(string status) => status switch
    {
        "Pending" => "Being placed",
        "PaymentPending" => "Payment pending",
        "Paid" => "Paid",
        "Shipped" => "Shipped",
        "Delivered" => "Delivered",
        "Cancelled" => "Cancelled",
        _ => status,
    };

    /// <summary>CSS modifier of the status badge.</summary>
    public static string BadgeClass(string status) => status switch
    {
        "Paid" or "Shipped" or "Delivered" => "ok",
        "Cancelled" => "out",
        _ => "low",
    };
}
