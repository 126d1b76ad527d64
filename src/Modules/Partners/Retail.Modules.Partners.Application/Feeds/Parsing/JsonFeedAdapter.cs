using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Retail.Modules.Partners.Application.Feeds.Parsing;

/// <summary>
/// A JSON array of product objects, streamed element by element with a bounded nesting depth. The "line" of a row is
/// its position in the array (1-based). Nested objects or arrays as field values are reported by the validator.
/// </summary>
public class JsonFeedAdapter : IFeedAdapter
{
    public const string NestedValue = "\u0000nested";

    public virtual string Format => "json";

    public virtual IReadOnlyList<string> ContentTypes { get; } = ["application/json", "text/json"];

    public virtual IReadOnlyList<string> Extensions { get; } = [".json"];

    /// <summary>False: one top-level array. True (JSON Lines and the like): a sequence of top-level objects.</summary>
    protected virtual bool TopLevelValues => false;

    public async IAsyncEnumerable<RawFeedRow> ReadAsync(Stream feed, FeedReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var serializer = new JsonSerializerOptions { MaxDepth = options.MaxJsonDepth, AllowTrailingCommas = false };
        var elements = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(feed, TopLevelValues, serializer, cancellationToken);
        var index = 0;
        await using var enumerator = elements.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync();
            }
            catch (JsonException ex)
            {
                var detail = ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                    ? $"The JSON is nested deeper than {options.MaxJsonDepth} levels."
                    : "The JSON is malformed" + (ex.LineNumber is { } l ? $" near line {l + 1}" : "") + ".";
                throw new FeedFormatException(detail.StartsWith("The JSON is nested", StringComparison.Ordinal) ? "too_deep" : "malformed_json", detail, index + 1);
            }
            catch (System.Text.DecoderFallbackException)
            {
                throw new FeedFormatException("encoding", "The file is not valid UTF-8.", index + 1);
            }

            if (!more)
            {
                yield break;
            }

            index++;
            var element = enumerator.Current;
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new FeedFormatException("malformed_json", TopLevelValues
                    ? "Each record must be a JSON object."
                    : "The feed must be a JSON array of product objects.", index);
            }

            Dictionary<string, string?> fields;
            try
            {
                fields = Fields(element, options.MaxFieldLength);
            }
            catch (InvalidOperationException ex) when (ex.InnerException is System.Text.DecoderFallbackException)
            {
                // The parser checks the structure only; a string's bytes are decoded when it is read, here.
                throw new FeedFormatException("encoding", "The file is not valid UTF-8.", index);
            }

            yield return new RawFeedRow(index, fields);
        }
    }

    private static Dictionary<string, string?> Fields(JsonElement element, int maxFieldLength)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            string? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => NestedValue,
            };
            FeedFields.Add(fields, property.Name, value, maxFieldLength);
        }

        return fields;
    }
}
