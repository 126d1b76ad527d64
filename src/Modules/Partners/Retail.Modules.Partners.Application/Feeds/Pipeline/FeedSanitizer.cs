using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Retail.Modules.Partners.Application.Feeds.Pipeline;

/// <summary>
/// Cleans one text field of a feed (SPEC S2): trim, Unicode NFC, reject control characters, strip HTML and scripts from
/// descriptions, refuse markup in short fields, neutralize spreadsheet formula prefixes (<c>= + - @</c>).
/// </summary>
public static partial class FeedSanitizer
{
    public const char FormulaGuard = '\'';

    public static bool HasControlCharacters(string value, bool allowLineBreaks)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
        {
            // A plain loop: this runs for every field of every row of a million-row feed.
            if ((char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t')) || c is '\u2028' or '\u2029')
            {
                return true;
            }
        }

        return false;
    }

    public static string Normalize(string value) => value.Trim().Normalize(NormalizationForm.FormC);

    /// <summary>True when the text carries an HTML tag, comment or script-ish markup.</summary>
    public static bool HasMarkup(string value) =>
        value.AsSpan().IndexOfAny('<', ':') >= 0 && MarkupPattern().IsMatch(value); // every markup the pattern knows has one of the two

    /// <summary>Removes script/style blocks with their content, then every other tag; collapses the whitespace left behind.</summary>
    public static string StripHtml(string value)
    {
        var withoutBlocks = ScriptBlocks().Replace(value, " ");
        var withoutTags = Tags().Replace(withoutBlocks, " ");
        return Spaces().Replace(withoutTags, " ").Trim();
    }

    /// <summary>A leading <c>= + - @</c> (or tab/CR) is what spreadsheets run as a formula: prefix it with an apostrophe.</summary>
    public static string NeutralizeFormula(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? FormulaGuard + value : value;

    public static bool IsFormula(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@';

    internal static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"</?[a-zA-Z!?][^>]*>|<!--|javascript\s*:", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MarkupPattern();

    [GeneratedRegex(@"<\s*(script|style|iframe|object|embed)\b[^>]*>.*?<\s*/\s*\1\s*>|<\s*(script|style|iframe|object|embed)\b[^>]*/?>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ScriptBlocks();

    [GeneratedRegex(@"<!--.*?-->|<[^>]*>", RegexOptions.CultureInvariant | RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Tags();

    [GeneratedRegex(@"[ \t]{2,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Spaces();
}
