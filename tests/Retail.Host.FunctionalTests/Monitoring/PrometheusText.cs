using System.Globalization;
using System.Text.RegularExpressions;

namespace Retail.Host.FunctionalTests.Monitoring;

/// <summary>One sample of the Prometheus text exposition format: <c>name{label="value",…} value [timestamp]</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>A strict reader of the Prometheus text format (version 0.0.4): every line is a comment or a well-formed sample.</summary>
public sealed partial class PrometheusText
{
    private PrometheusText(IReadOnlyList<PrometheusSample> samples, IReadOnlyDictionary<string, string> types)
    {
        Samples = samples;
        Types = types;
    }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>Metric family → type from the <c># TYPE</c> lines.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public IEnumerable<PrometheusSample> Named(string name) => Samples.Where(s => s.Name == name);

    /// <summary>Sum of the samples of <paramref name="name"/> whose labels include every given pair.</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) =>
        Named(name).Where(s => labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>Parses the whole text; throws <see cref="FormatException"/> naming the first line that is not valid.</summary>
    public static PrometheusText Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PrometheusSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var type = TypeLine().Match(line);
                if (type.Success)
                {
                    types[type.Groups["name"].Value] = type.Groups["type"].Value;
                }
                else if (!line.StartsWith("# HELP ", StringComparison.Ordinal) && !line.StartsWith("# EOF", StringComparison.Ordinal) && !line.StartsWith("# UNIT ", StringComparison.Ordinal))
                {
                    throw new FormatException($"Not a HELP, TYPE or UNIT comment: {line}");
                }

                continue;
            }

            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"Not a sample line: {line}");
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var labelText = match.Groups["labels"].Value;
            var consumed = 0;
            foreach (Match label in Label().Matches(labelText))
            {
                labels[label.Groups["key"].Value] = Regex.Unescape(label.Groups["value"].Value);
                consumed += label.Length;
            }

            if (consumed != labelText.Length)
            {
                throw new FormatException($"Unreadable labels: {line}");
            }

            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value)));
        }

        return new PrometheusText(samples, types);
    }

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<type>counter|gauge|histogram|summary|untyped|unknown|info|stateset|gaugehistogram)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[-+]?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)"",?")]
    private static partial Regex Label();
}
