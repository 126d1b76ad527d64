namespace Retail.Modules.Monitoring.Domain.Totals;

/// <summary>
/// One business counter since the shop opened (e.g. <c>payments.succeeded.count</c>), kept by integration events.
/// Amounts are counted in minor units (cents) so that the increment is one atomic integer UPDATE on every provider.
/// </summary>
public sealed class BusinessTotal
{
    public const int MaxNameLength = 100;

    private BusinessTotal()
    {
    }

    public BusinessTotal(string name, long value, DateTimeOffset updatedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Value = value;
        UpdatedAt = updatedAt;
    }

    public string Name { get; private set; } = "";

    public long Value { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }
}

/// <summary>The same counters per UTC day, for the dashboard's "today" figures.</summary>
public sealed class DailyTotal
{
    private DailyTotal()
    {
    }

    public DailyTotal(DateOnly day, string name, long value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Day = day;
        Name = name;
        Value = value;
    }

    public DateOnly Day { get; private set; }

    public string Name { get; private set; } = "";

    public long Value { get; private set; }
}
