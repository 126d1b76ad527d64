using System.Runtime.CompilerServices;
using System.Xml;

namespace Retail.Modules.Partners.Application.Feeds.Parsing;

/// <summary>
/// XML feeds, streamed: <c>&lt;products&gt;&lt;product&gt;…</c> of the published schema, or an RSS 2.0 Google Merchant
/// feed (<c>&lt;rss&gt;&lt;channel&gt;&lt;item&gt;</c> with <c>g:</c> elements). DTDs are refused outright (no external
/// entities, no entity expansion bombs) and no resolver is set.
/// </summary>
public sealed class XmlFeedAdapter : IFeedAdapter
{
    public string Format => "xml";

    public IReadOnlyList<string> ContentTypes { get; } = ["application/xml", "text/xml", "application/rss+xml"];

    public IReadOnlyList<string> Extensions { get; } = [".xml", ".rss"];

    public static XmlReaderSettings SafeSettings(int maxFieldLength) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        Async = true,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        MaxCharactersFromEntities = 0,
        // One element's text may be large (a 10 MB field is reported, not loaded without bound): cap the document's
        // characters per element by the field limit times a generous factor; the byte limit applies before this anyway.
        MaxCharactersInDocument = 0,
    };

    public async IAsyncEnumerable<RawFeedRow> ReadAsync(Stream feed, FeedReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var text = FeedFields.StrictReader(feed);
        using var reader = XmlReader.Create(text, SafeSettings(options.MaxFieldLength));
        var lineInfo = (IXmlLineInfo)reader;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool more;
            try
            {
                more = await reader.ReadAsync();
            }
            catch (XmlException ex)
            {
                throw Refused(ex, lineInfo.LineNumber);
            }
            catch (System.Text.DecoderFallbackException)
            {
                throw new FeedFormatException("encoding", "The file is not valid UTF-8 (or UTF-16 with a byte order mark).", lineInfo.LineNumber);
            }

            if (!more)
            {
                yield break;
            }

            if (reader.NodeType != XmlNodeType.Element || (reader.LocalName != "product" && reader.LocalName != "item"))
            {
                continue;
            }

            var line = lineInfo.LineNumber;
            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            try
            {
                await ReadRecordAsync(reader, fields, options.MaxFieldLength);
            }
            catch (XmlException ex)
            {
                throw Refused(ex, lineInfo.LineNumber);
            }
            catch (System.Text.DecoderFallbackException)
            {
                // The text is decoded a buffer at a time, so a bad byte past the first one surfaces inside a record.
                throw new FeedFormatException("encoding", "The file is not valid UTF-8 (or UTF-16 with a byte order mark).", lineInfo.LineNumber);
            }

            yield return new RawFeedRow(line, fields);
        }
    }

    private static async Task ReadRecordAsync(XmlReader reader, Dictionary<string, string?> fields, int maxFieldLength)
    {
        if (reader.IsEmptyElement)
        {
            return;
        }

        var depth = reader.Depth;
        while (await reader.ReadAsync())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
            {
                return;
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            var name = reader.LocalName;
            if (reader.IsEmptyElement)
            {
                FeedFields.Add(fields, name, "", maxFieldLength);
                continue;
            }

            var fieldDepth = reader.Depth;
            var nested = false;
            var value = new System.Text.StringBuilder();
            while (await reader.ReadAsync() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == fieldDepth))
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    nested = true;
                }
                else if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace && value.Length <= maxFieldLength)
                {
                    var chunk = reader.Value;
                    value.Append(chunk, 0, Math.Min(chunk.Length, maxFieldLength + 1 - value.Length));
                }
            }

            FeedFields.Add(fields, name, nested ? JsonFeedAdapter.NestedValue : value.ToString(), maxFieldLength);
        }
    }

    private static FeedFormatException Refused(XmlException ex, int readerLine)
    {
        var line = Math.Max(1, ex.LineNumber > 0 ? ex.LineNumber : readerLine);
        return ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
            ? new FeedFormatException("dtd_prohibited", "XML with a DOCTYPE/DTD is refused (no entities, no external references).", line)
            : new FeedFormatException("malformed_xml", "The XML is malformed: " + ex.Message, line);
    }
}
