namespace Retail.Modules.Payments.Domain.Payments;

/// <summary>Card number rules: digits only once spaces and dashes are removed, 12–19 long, Luhn check digit.</summary>
public static class CardNumbers
{
    public static string Normalize(string? number) =>
        new((number ?? "").Where(c => c is not (' ' or '-')).ToArray());

    public static bool IsValid(string? number)
    {
        var digits = Normalize(number);
        return digits.Length is >= 12 and <= 19 && digits.All(char.IsAsciiDigit) && PassesLuhn(digits);
    }

    /// <summary>The Luhn (mod 10) check: from the right, every second digit is doubled (minus 9 when above 9).</summary>
    public static bool PassesLuhn(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var digit = digits[i] - '0';
            if (digit is < 0 or > 9)
            {
                return false;
            }

            if (doubleIt)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            doubleIt = !doubleIt;
        }

        return digits.Length > 0 && sum % 10 == 0;
    }

    /// <summary>What may be shown or logged: the last four digits only.</summary>
    public static string Mask(string? number)
    {
        var digits = Normalize(number);
        return digits.Length <= 4 ? "****" : "**** " + digits[^4..];
    }
}
