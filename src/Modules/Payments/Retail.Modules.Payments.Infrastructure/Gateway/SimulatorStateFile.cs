using System.Text.Json;

namespace Retail.Modules.Payments.Infrastructure.Gateway;

/// <summary>One final answer of the simulator: a charge or a refund under its idempotency key.</summary>
internal sealed record SimulatorStateLine(string Kind, string Key, bool Succeeded, string? Reference, string? Error, decimal Amount, string? ChargeReference);

/// <summary>
/// The simulator's memory on disk: an append-only JSON Lines file, flushed to the OS on every answer (the simulator's
/// lock serialises writers), so killing the app never loses an answer the app already received.
/// </summary>
internal sealed class SimulatorStateFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _path;

    private SimulatorStateFile(string path) => _path = path;

    public static SimulatorStateFile? Open(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return new SimulatorStateFile(full);
    }

    public IEnumerable<SimulatorStateLine> ReadAll()
    {
        if (!File.Exists(_path))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(_path))
        {
            // A line cut short by a crash mid-write is not an answer the app ever saw: skip it.
            SimulatorStateLine? parsed = null;
            try
            {
                parsed = JsonSerializer.Deserialize<SimulatorStateLine>(line, Json);
            }
            catch (JsonException)
            {
            }

            if (parsed is not null)
            {
                yield return parsed;
            }
        }
    }

    public void Append(SimulatorStateLine line) => File.AppendAllText(_path, JsonSerializer.Serialize(line, Json) + "\n");
}
