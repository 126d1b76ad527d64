using System.Text;
using Retail.BuildingBlocks.Application;

namespace Retail.Modules.Returns.Application.Returns;

/// <summary>Enum values as the API and pages spell them: <c>StoreCredit</c> ↔ <c>STORE_CREDIT</c>.</summary>
public static class EnumCodes
{
    public static string Of<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(name[i]));
        }

        return builder.ToString();
    }

    public static string? OfNullable<T>(T? value)
        where T : struct, Enum => value is { } v ? Of(v) : null;

    /// <summary>
    /// Exactly one code: <c>STORE_CREDIT</c>, <c>store-credit</c> or <c>StoreCredit</c>. Never numbers, and never comma lists,
    /// which <c>Enum.TryParse</c> ORs like flags ("wrong_item,not_as_described" = 1 | 2 = ChangedMind, a defined value),
    /// so the name is looked up among the member names (<see cref="EnumNames"/>) with the separators taken out.
    /// </summary>
    public static T? Parse<T>(string? text)
        where T : struct, Enum
    {
        var compact = (text ?? "").Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return EnumNames.TryParse<T>(compact, Enum.GetNames<T>(), out var value) ? value : null;
    }
}
