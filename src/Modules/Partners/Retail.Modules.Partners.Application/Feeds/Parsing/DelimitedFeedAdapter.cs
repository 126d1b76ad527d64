using System.Runtime.CompilerServices;
using System.Text;

namespace Retail.Modules.Partners.Application.Feeds.Parsing;

/// <summary>
/// RFC 4180 reader over a TextReader: quoted fields with doubled quotes and line breaks, streaming one record at a time.
/// Fields longer than the limit stop growing (memory stays flat even for a 10 MB field).
/// </summary>
internal sealed class DelimitedReader(TextReader reader, char delimiter, bool quoting, int maxFieldLength)
{
    private readonly StringBuilder _field = new();

    /// <summary>Line number (1-based) where the last record returned started.</summary>
    public int RecordLine { get; private set; }

    private int _line = 1;

    /// <summary>Reads from the feed file saved on disk (never from the request body), so synchronous reads are cheap.</summary>
    public List<string>? ReadRecord(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = new List<string>();
        _field.Clear();
        RecordLine = _line;
        var inQuotes = false;
        var any = false;
        while (true)
        {
            var read = reader.Read();
            if (read < 0)
            {
                if (inQuotes)
                {
                    throw new FeedFormatException("unterminated_quote", "A quoted field is not closed before the end of the file.", RecordLine);
                }

                if (!any)
                {
                    return null;
                }

                fields.Add(_field.ToString());
                return fields;
            }

            any = true;
            var c = (char)read;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (Peek() == '"')
                    {
                        reader.Read();
                        Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    Append(c);
                }

                continue;
            }

            if (c == '"' && quoting && _field.Length == 0)
            {
                inQuotes = true;
            }
            else if (c == delimiter)
            {
                fields.Add(_field.ToString());
                _field.Clear();
            }
            else if (c == '\r')
            {
                // \r\n or a lone \r ends the record.
                if (Peek() == '\n')
                {
                    reader.Read();
                }

                _line++;
                fields.Add(_field.ToString());
                return fields;
            }
            else if (c == '\n')
            {
                _line++;
                fields.Add(_field.ToString());
                return fields;
            }
            else
            {
                Append(c);
            }
        }
    }

    private void Append(char c)
    {
        if (_field.Length <= maxFieldLength)
        {
            _field.Append(c);
        }
    }

    private int Peek() => reader.Peek();

}

/// <summary>Shared reading of delimited feeds: the first record is the header (names mapped to the canonical schema).</summary>
public abstract class DelimitedFeedAdapter(char delimiter, bool quoting) : IFeedAdapter
{
    public abstract string Format { get; }

    public abstract IReadOnlyList<string> ContentTypes { get; }

    public abstract IReadOnlyList<string> Extensions { get; }

    public async IAsyncEnumerable<RawFeedRow> ReadAsync(Stream feed, FeedReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await Task.CompletedTask;
        using var text = FeedFields.StrictReader(feed);
        var reader = new DelimitedReader(text, delimiter, quoting, options.MaxFieldLength);
        List<string>? header;
        try
        {
            header = reader.ReadRecord(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            throw new FeedFormatException("encoding", "The file is not valid UTF-8 (or UTF-16 with a byte order mark).", 1);
        }

        if (header is null || header.All(string.IsNullOrWhiteSpace))
        {
            throw new FeedFormatException("no_header", "The file has no header row.", 1);
        }

        var names = header.Select(h => h.Trim().TrimStart('\uFEFF')).ToList();
        while (true)
        {
            List<string>? record;
            try
            {
                record = reader.ReadRecord(cancellationToken);
            }
            catch (DecoderFallbackException)
            {
                throw new FeedFormatException("encoding", "The file is not valid UTF-8 (or UTF-16 with a byte order mark).", reader.RecordLine);
            }

            if (record is null)
            {
                yield break;
            }

            if (record.Count == 1 && record[0].Length == 0)
            {
                continue; // blank line
            }

            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < names.Count; i++)
            {
                FeedFields.Add(fields, names[i], i < record.Count ? record[i] : null, options.MaxFieldLength);
            }

            if (record.Count > names.Count)
            {
                fields["__extra_columns"] = (record.Count - names.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            yield return new RawFeedRow(reader.RecordLine, fields);
        }
    }
}

/// <summary>Comma-separated values with a header row (RFC 4180).</summary>
public sealed class CsvFeedAdapter() : DelimitedFeedAdapter(',', quoting: true)
{
    public override string Format => "csv";

    public override IReadOnlyList<string> ContentTypes { get; } = ["text/csv", "application/csv"];

    public override IReadOnlyList<string> Extensions { get; } = [".csv"];
}

/// <summary>Tab-separated values, as Google Merchant Center's product data files are (its attribute names are understood).</summary>
public sealed class GoogleMerchantTsvFeedAdapter() : DelimitedFeedAdapter('\t', quoting: true)
{
    public override string Format => "tsv";

    public override IReadOnlyList<string> ContentTypes { get; } = ["text/tab-separated-values"];

    public override IReadOnlyList<string> Extensions { get; } = [".tsv", ".txt"];
}
