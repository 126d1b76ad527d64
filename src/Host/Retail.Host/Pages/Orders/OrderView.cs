using System.Globalization;

namespace Retail.Host.Pages.Orders;

/// <summary>Formatting shared by the order pages.</summary>
public static class OrderView
{
    public static string Money(decimal amount, string currency = "USD") =>
        currency == "USD" ? amount.ToString("C", CultureInfo.GetCultureInfo("en-US")) : $"{amount.ToString("0.00", CultureInfo.InvariantCulture)} {currency}";

    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>CSS modifier of the status badge.</summary>
    public static string BadgeClass(string status) => status switch
    {
        "Paid" or "Shipped" or "Delivered" => "ok",
        "Cancelled" => "out",
        _ => "low",
    };
}
