namespace Retail.Modules.Returns.Domain.Returns;

/// <summary>A purchased line as the eligibility check sees it.</summary>
/// <param name="Taken">Units already returned or in an open return.</param>
public sealed record PurchasedLineView(string Sku, string Name, decimal UnitPrice, int Bought, int Taken, bool Returnable);

/// <summary>The answer for one line: how many may still go back, and why not when none.</summary>
public sealed record LineEligibility(string Sku, string Name, int Bought, int Taken, int Returnable, bool Eligible, string Explanation);

/// <summary>SPEC R2 eligibility: delivered order of the same customer, within the window, quantity not above bought − taken, returnable product.</summary>
public static class ReturnEligibility
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    /// <summary>Null when the order as a whole may be returned from; otherwise why not.</summary>
    public static string? OrderProblem(DateTimeOffset? deliveredAt, DateTimeOffset now, TimeSpan window) =>
        deliveredAt is not { } delivered ? "The order has not been delivered yet; returns open on delivery."
        : now > delivered + window ? $"The return window of {window.TotalDays:0} days closed on {(delivered + window):yyyy-MM-dd}."
        : null;

    public static DateTimeOffset? WindowClosesAt(DateTimeOffset? deliveredAt, TimeSpan window) => deliveredAt + window;

    public static LineEligibility ForLine(PurchasedLineView line, string? orderProblem)
    {
        ArgumentNullException.ThrowIfNull(line);
        var left = Math.Max(0, line.Bought - line.Taken);
        if (orderProblem is not null)
        {
            return new(line.Sku, line.Name, line.Bought, line.Taken, 0, false, orderProblem);
        }

        if (!line.Returnable)
        {
            return new(line.Sku, line.Name, line.Bought, line.Taken, 0, false, "This product cannot be returned.");
        }

        if (left == 0)
        {
            return new(line.Sku, line.Name, line.Bought, line.Taken, 0, false, $"All {line.Bought} bought are already returned or in a return.");
        }

        return new(line.Sku, line.Name, line.Bought, line.Taken, left, true,
            line.Taken == 0 ? $"Up to {left} can be returned." : $"Up to {left} of {line.Bought} can be returned ({line.Taken} already returned or in a return).");
    }

    /// <summary>Whether <paramref name="quantity"/> units may be requested for the line.</summary>
    public static string? QuantityProblem(LineEligibility line, int quantity)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.Eligible)
        {
            return line.Explanation;
        }

        return quantity < 1 ? "Return at least one unit."
            : quantity > line.Returnable ? $"Only {line.Returnable} of {line.Sku} can be returned."
            : null;
    }
}

/// <summary>Human return codes: <c>RMA-</c> plus five characters without look-alikes (no 0/O, 1/I/L).</summary>
public static class ReturnCodes
{
    public const string Prefix = "RMA-";
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    public const int Length = 5;

    /// <param name="next">Returns a value in [0, max); injected so tests control it.</param>
    public static string New(Func<int, int> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var chars = new char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = Alphabet[next(Alphabet.Length)];
        }

        return Prefix + new string(chars);
    }

    public static bool IsWellFormed(string? code) =>
        code is { Length: 9 } && code.StartsWith(Prefix, StringComparison.Ordinal) && code[Prefix.Length..].All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    public static string Normalize(string? code) => (code ?? "").Trim().ToUpperInvariant();
}
