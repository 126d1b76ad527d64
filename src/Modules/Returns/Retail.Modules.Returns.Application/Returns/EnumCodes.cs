using System.Text;

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

    /// <summary>Accepts <c>STORE_CREDIT</c>, <c>store-credit</c> or <c>StoreCredit</c>; never numbers.</summary>
    public static T? Parse<T>(string? text)
        where T : struct, Enum
    {
        var compact = (text ?? "").Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();
        if (compact.Length == 0 || compact.Any(char.IsDigit))
        {
            return null;
        }

        return Enum.TryParse<T>(compact, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value : null;
    }
}
