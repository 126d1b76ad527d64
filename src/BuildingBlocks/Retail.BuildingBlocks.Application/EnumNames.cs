namespace Retail.BuildingBlocks.Application;

/// <summary>Filters and settings that name an enum value: the name only, never what else <c>Enum.TryParse</c> takes.</summary>
public static class EnumNames
{
    /// <summary>
    /// One of <paramref name="names"/> (any case, trimmed). Enum.TryParse also takes numbers ("3") and comma lists, which
    /// it ORs like flags ("Paid,Shipped" = 2 | 3 = Shipped), so such a value silently selected another member instead of
    /// being refused.
    /// </summary>
    public static bool TryParse<TEnum>(string value, IReadOnlyList<string> names, out TEnum result)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = names.FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
        result = name is null ? default : Enum.Parse<TEnum>(name);
        return name is not null;
    }
}
