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

    /// <summary>The shop zone's offset from UTC at this instant, which tells the two readings of a repeated hour apart.</summary>
    public TimeSpan OffsetOf(DateTimeOffset instant) => Zone.GetUtcOffset(instant);

    /// <summary>
    /// <see cref="FromLocal(DateTime)"/>, except in the hour repeated when daylight saving ends: there a wall-clock time is two
    /// instants, and <paramref name="offset"/> (the one the time was shown with, see <see cref="OffsetOf"/>) says which.
    /// Without it a form showing the first 01:30 read back as the second one, an hour later, though nobody changed it.
    /// An offset the zone does not have at that time is ignored.
    /// </summary>
    public DateTimeOffset FromLocal(DateTime local, TimeSpan? offset)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return offset is { } o && Zone.IsAmbiguousTime(unspecified) && Zone.GetAmbiguousTimeOffsets(unspecified).Contains(o)
            ? new DateTimeOffset(unspecified, o)
            : FromLocal(local);
    }

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
