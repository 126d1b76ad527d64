namespace Retail.Modules.Payments.Application.PaymentMethods;

/// <summary>
/// Payment details as the methods read them: keys case-insensitive, because forms and JSON clients spell them
/// differently. A JSON object may still carry one key in two spellings ("cardNumber" and "CardNumber"); which value
/// is meant cannot be known, so such keys are reported (a field error) instead of one being picked.
/// </summary>
public static class PaymentDetailsReader
{
    public const string GivenTwice = "Give each payment detail once.";

    /// <summary>Never throws on keys differing only in case: the first spelling wins (callers refuse those via <see cref="GivenTwiceKeys"/>).</summary>
    public static IReadOnlyDictionary<string, string> CaseInsensitive(IReadOnlyDictionary<string, string>? details)
    {
        var read = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in details ?? new Dictionary<string, string>())
        {
            read.TryAdd(key, value);
        }

        return read;
    }

    /// <summary>Keys given more than once ignoring case, each under its first spelling.</summary>
    public static IReadOnlyList<string> GivenTwiceKeys(IReadOnlyDictionary<string, string>? details) =>
        details is null
            ? []
            : [.. details.Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.First())];
}
