using System.Text;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Partners.Application.Feeds.Parsing;
using Retail.Modules.Partners.Application.Feeds.Pipeline;

namespace Retail.Modules.Partners.UnitTests;

internal static class FeedTestSupport
{
    public static readonly FeedReadOptions Options = new(MaxFieldLength: 4000, MaxJsonDepth: 8);

    public static FeedAdapterRegistry Registry(params IFeedAdapter[] extra) =>
        new([new CsvFeedAdapter(), new GoogleMerchantTsvFeedAdapter(), new JsonFeedAdapter(), new XmlFeedAdapter(), .. extra]);

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", name);

    public static async Task<List<RawFeedRow>> ReadAsync(IFeedAdapter adapter, string content) =>
        await ReadAsync(adapter, new MemoryStream(Encoding.UTF8.GetBytes(content)));

    public static async Task<List<RawFeedRow>> ReadAsync(IFeedAdapter adapter, Stream stream)
    {
        var rows = new List<RawFeedRow>();
        await foreach (var row in adapter.ReadAsync(stream, Options, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Parses and maps a whole feed: valid rows and every issue.</summary>
    public static async Task<(List<PartnerProductRow> Rows, List<RowIssue> Issues)> MapAsync(IFeedAdapter adapter, Stream stream)
    {
        var mapper = new FeedRowMapper("USD");
        var rows = new List<PartnerProductRow>();
        var issues = new List<RowIssue>();
        foreach (var raw in await ReadAsync(adapter, stream))
        {
            var (row, rowIssues) = mapper.Map(raw);
            if (row is not null)
            {
                rows.Add(row);
            }

            issues.AddRange(rowIssues);
        }

        return (rows, issues);
    }

    public static RawFeedRow Row(int line, params (string Field, string? Value)[] fields) =>
        new(line, fields.ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal));

    /// <summary>A valid row; override fields to break one thing at a time.</summary>
    public static RawFeedRow ValidRow(int line = 2, params (string Field, string? Value)[] overrides)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["sku"] = "SKU-1",
            ["name"] = "Lamp",
            ["description"] = "A lamp",
            ["category"] = "Home",
            ["price"] = "10.00",
            ["currency"] = "USD",
            ["stock"] = "5",
        };
        foreach (var (field, value) in overrides)
        {
            fields[field] = value;
        }

        return new RawFeedRow(line, fields);
    }
}
