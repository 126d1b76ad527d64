using System.Text;

namespace Retail.Modules.Partners.Application.Feeds.Parsing;

/// <summary>One record of a feed as read: its line (CSV/TSV/XML) or record number (JSON), and its fields by canonical name.</summary>
public sealed record RawFeedRow(int Line, IReadOnlyDictionary<string, string?> Fields);

/// <summary>What an adapter may use: the longest field it must keep (longer ones are cut to one char over, so the validator reports them).</summary>
public sealed record FeedReadOptions(int MaxFieldLength, int MaxJsonDepth);

/// <summary>The feed as a whole cannot be read (malformed structure, DTD, wrong encoding, too deep).</summary>
public sealed class FeedFormatException(string code, string message, int line) : Exception(message)
{
    public string Code { get; } = code;

    public int Line { get; } = line;
}

/// <summary>
/// Reads one feed format into raw rows, streaming (SPEC M1). A new format is one class implementing this plus one
/// <c>AddFeedAdapter&lt;T&gt;()</c> registration; nothing else changes.
/// </summary>
public interface IFeedAdapter
{
    /// <summary>Short name stored on the job, e.g. <c>csv</c>.</summary>
    string Format { get; }

    /// <summary>Media types this adapter answers to (without parameters), e.g. <c>text/csv</c>.</summary>
    IReadOnlyList<string> ContentTypes { get; }

    /// <summary>File extensions with the dot, e.g. <c>.csv</c>.</summary>
    IReadOnlyList<string> Extensions { get; }

    IAsyncEnumerable<RawFeedRow> ReadAsync(Stream feed, FeedReadOptions options, CancellationToken cancellationToken);
}

/// <summary>Chooses the adapter by file extension, then by content type.</summary>
public sealed class FeedAdapterRegistry(IEnumerable<IFeedAdapter> adapters)
{
    private readonly IReadOnlyList<IFeedAdapter> _adapters = [.. adapters];

    public IReadOnlyList<string> Formats => [.. _adapters.Select(a => a.Format)];

    public IFeedAdapter? ForFormat(string format) =>
        _adapters.FirstOrDefault(a => string.Equals(a.Format, format, StringComparison.OrdinalIgnoreCase));

    public IFeedAdapter? Resolve(string? contentType, string? fileName)
    {
        var extension = string.IsNullOrEmpty(fileName) ? "" : Path.GetExtension(fileName);
        if (extension.Length > 0 && _adapters.FirstOrDefault(a => a.Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase)) is { } byExtension)
        {
            return byExtension;
        }

        var mediaType = (contentType ?? "").Split(';')[0].Trim();
        return mediaType.Length == 0
            ? null
            : _adapters.FirstOrDefault(a => a.ContentTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase));
    }
}

/// <summary>Header and element names of every format mapped to the canonical schema (Google Merchant names included).</summary>
public static class FeedFields
{
    public const string Sku = "sku";
    public const string Name = "name";
    public const string Description = "description";
    public const string Category = "category";
    public const string Price = "price";
    public const string Currency = "currency";
    public const string Stock = "stock";
    public const string Availability = "availability";
    public const string Brand = "brand";
    public const string Gtin = "gtin";
    public const string ImageUrl = "image_url";

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["id"] = Sku,
        ["title"] = Name,
        ["image_link"] = ImageUrl,
        ["product_type"] = Category,
        ["google_product_category"] = Category,
        ["quantity"] = Stock,
        ["sell_on_google_quantity"] = Stock,
    };

    /// <summary><c>g:image_link</c>, <c>Image Link</c>, <c>image-link</c> → <c>image_url</c>.</summary>
    public static string Canonical(string name)
    {
        var value = (name ?? "").Trim().ToLowerInvariant();
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            value = value[(colon + 1)..];
        }

        value = value.Replace(' ', '_').Replace('-', '_');
        return Aliases.TryGetValue(value, out var canonical) ? canonical : value;
    }

    /// <summary>Adds a field, keeping the first value when a name repeats (e.g. <c>product_type</c> and <c>google_product_category</c>).</summary>
    internal static void Add(Dictionary<string, string?> fields, string name, string? value, int maxLength)
    {
        var key = Canonical(name);
        if (key.Length == 0 || (fields.TryGetValue(key, out var existing) && !string.IsNullOrEmpty(existing)))
        {
            return;
        }

        fields[key] = value is not null && value.Length > maxLength + 1 ? value[..(maxLength + 1)] : value;
    }

    /// <summary>UTF-8 (BOM optional) or a BOM-declared UTF-16; invalid bytes throw instead of becoming U+FFFD.</summary>
    internal static StreamReader StrictReader(Stream stream) =>
        new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
}
