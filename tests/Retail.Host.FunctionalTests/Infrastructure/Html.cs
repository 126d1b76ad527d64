using System.Net;
using System.Text.RegularExpressions;

namespace Retail.Host.FunctionalTests.Infrastructure;

/// <summary>Just enough HTML reading for the tests (no HTML parser package is available here).</summary>
public static partial class Html
{
    /// <summary>The antiforgery token of the first form on the page.</summary>
    public static string AntiforgeryToken(string html)
    {
        var input = AntiforgeryInput().Match(html);
        input.Success.ShouldBeTrue("the page has no __RequestVerificationToken field");
        var value = ValueAttribute().Match(input.Value);
        value.Success.ShouldBeTrue("the antiforgery field has no value");
        return WebUtility.HtmlDecode(value.Groups[1].Value);
    }

    /// <summary>The validation message shown beside a field (<c>asp-validation-for</c>), decoded; empty when none.</summary>
    public static string FieldError(string html, string field)
    {
        var span = Regex.Match(html, $"""<span[^>]*data-valmsg-for="{Regex.Escape(field)}"[^>]*>(.*?)</span>""", RegexOptions.Singleline);
        return span.Success ? Text(span.Groups[1].Value) : "";
    }

    /// <summary>Visible text: tags removed, entities decoded, whitespace collapsed.</summary>
    public static string Text(string html) =>
        Whitespace().Replace(WebUtility.HtmlDecode(Tags().Replace(html, " ")), " ").Trim();

    /// <summary>The text of each table row of the page.</summary>
    public static IReadOnlyList<string> TableRows(string html) =>
        [.. TableRow().Matches(html).Select(m => Text(m.Groups[1].Value))];

    /// <summary>The text of the element with the given id.</summary>
    public static string ElementText(string html, string id)
    {
        var element = Regex.Match(html, $"""<(\w+)[^>]*\bid="{Regex.Escape(id)}"[^>]*>(.*?)</\1>""", RegexOptions.Singleline);
        element.Success.ShouldBeTrue($"the page has no element with id '{id}'");
        return Text(element.Groups[2].Value);
    }

    /// <summary>Asserts the page is the friendly error page: a reference id and no exception details.</summary>
    public static void ShouldBeFriendlyErrorPage(string html)
    {
        ElementText(html, "reference-id").ShouldNotBeNullOrWhiteSpace();
        ShouldNotLeakExceptionDetails(html);
    }

    public static void ShouldNotLeakExceptionDetails(string body)
    {
        body.ShouldNotContain("Exception", Case.Insensitive);
        body.ShouldNotContain("stack", Case.Insensitive);
        StackFrame().IsMatch(body).ShouldBeFalse("the response contains something like a stack frame");
    }

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*>""")]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("""\bvalue="([^"]*)""")]
    private static partial Regex ValueAttribute();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("<tr[^>]*>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();

    // "   at Namespace.Type.Method(" or "in /path/File.cs:line 12"
    [GeneratedRegex(@"\bat [\w.`<>]+\.[\w<>`]+\(|\.cs:line \d+")]
    private static partial Regex StackFrame();
}
