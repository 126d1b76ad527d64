using System.Globalization;

namespace Retail.Host.Web;

/// <summary>
/// The shop's time zone (<c>Shop:TimeZone</c>, an IANA id such as <c>Europe/Berlin</c>; default UTC). Everything is stored
/// and compared in UTC; pages show times in the shop's zone and read admin input in it.
/// </summary>
public sealed class ShopTime
{
    public ShopTime(IConfiguration configuration)
    {
        var id = configuration["Shop:TimeZone"];
        Zone = string.IsNullOrWhiteSpace(id) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>Short zone label shown next to times, e.g. "UTC" or "Europe/Berlin".</summary>
    public string ZoneName => Zone == TimeZoneInfo.Utc ? "UTC" : Zone.Id;

    public DateTime ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).DateTime;

    /// <summary>e.g. "Nov 22, 2026 14:00 UTC".</summary>
    public string Format(DateTimeOffset instant) =>
        ToLocal(instant).ToString("MMM d, yyyy HH:mm", CultureInfo.InvariantCulture) + " " + ZoneName;

    /// <summary>The value of an <c>input type="datetime-local"</c> for this instant in the shop's zone.</summary>
    public string ToInput(DateTimeOffset instant) => ToLocal(instant).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    /// <summary>A wall-clock time in the shop's zone as an instant (a time skipped by a DST change moves forward an hour).</summary>
    public DateTimeOffset FromLocal(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddHours(1);
        }

        return new DateTimeOffset(unspecified, Zone.GetUtcOffset(unspecified));
    }
}
